package dev.ssilab.cli;

import dev.ssilab.state.FileTrees;
import dev.ssilab.state.SsilabPaths;
import dev.ssilab.step.CourseTester;
import dev.ssilab.step.CourseWorkspace;
import dev.ssilab.step.JUnitReport;
import dev.ssilab.step.StepOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ssilab test}: the course's own CI. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Test the course: for every step, check must fail, solve, check must pass, cleanup. "
                + "Ends with 'N passed, M failed'; exit 1 on any failure.")
final class TestCommand implements Callable<Integer> {
    @Mixin
    CourseOptions options = new CourseOptions();

    @Option(names = "--junit-xml", paramLabel = "FILE", description = "Also write the results as JUnit XML.")
    Path junitXml;

    @Option(names = "--keep", description = "Keep the test's workdir afterwards (it is deleted by default).")
    boolean keep;

    @Parameters(paramLabel = "LESSON", description = "Lessons to test (with the lessons they require); default all.")
    List<String> lessons = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (junitXml != null) {
            ReportTarget.check(junitXml, "--junit-xml");
        }
        SsilabPaths paths = Workspaces.paths();
        boolean fresh = options.workdir == null;
        Path workdir = fresh ? Workspaces.freshWorkdir(paths, "test") : options.workdir(paths);
        try (CourseWorkspace ws = Workspaces.open(options, workdir, false)) {
            System.out.println("Testing " + ws.course().dir() + " on backend " + ws.backend() + " in " + workdir);
            List<StepOutcome> outcomes = new CourseTester(ws, System.out).test(lessons);
            if (junitXml != null) {
                JUnitReport.write(junitXml.toAbsolutePath(), outcomes);
            }
            return outcomes.stream().anyMatch(o -> o instanceof StepOutcome.Failed) ? 1 : 0;
        } finally {
            if (fresh && !keep) {
                FileTrees.delete(workdir);
            }
        }
    }
}
