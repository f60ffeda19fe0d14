package dev.ssilab.cli;

import dev.ssilab.course.CourseLoader;
import dev.ssilab.course.CourseVariables;
import dev.ssilab.course.Problem;
import dev.ssilab.course.TemplateEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ssilab lint [DIR]}: reports every problem of a course as FILE:LINE: message. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Check a course folder and print every problem as FILE:LINE: message (exit 1 if any).")
final class LintCommand implements Callable<Integer> {
    @Mixin
    CourseOptions options = new CourseOptions();

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Lessons folder (default: --course, else the shipped lessons/).")
    Path dir;

    @Override
    public Integer call() {
        if (dir != null) {
            options.course = dir;
        }
        Path course = options.courseDir();
        CourseLoader loader = new CourseLoader(new TemplateEngine(Home.content()));
        List<Problem> problems = loader.lint(course, CourseVariables.forLint(options.backend(), Home.locate()).model());
        problems.forEach(p -> System.out.println(p));
        if (problems.isEmpty()) {
            var c = loader.load(course, CourseVariables.forLint(options.backend(), Home.locate()).model());
            int steps = c.lessons().stream().mapToInt(l -> l.steps().size()).sum();
            System.out.println(course + ": " + c.lessons().size() + " lessons, " + steps + " steps, no problems");
            return 0;
        }
        System.out.println(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in " + course);
        return 1;
    }
}
