package dev.ssilab.step;

import dev.ssilab.course.Lesson;
import dev.ssilab.course.Step;
import dev.ssilab.state.UserError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The course's own CI: for every step, setup, check (must fail: a step that starts solved is a course
 * bug), solve, check (must pass), cleanup. Prints one line per step and the summary line.
 */
public final class CourseTester {
    private final CourseWorkspace workspace;
    private final PrintStream out;

    public CourseTester(CourseWorkspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    /** Tests the named lessons (with the lessons they require, first), or all when none are named. */
    public List<StepOutcome> test(List<String> lessonIds) {
        List<Lesson> lessons = select(lessonIds);
        Set<String> broken = new HashSet<>();
        Set<Integer> clustersBefore = workspace.clusters().running();
        List<StepOutcome> outcomes = new ArrayList<>();
        try {
            for (Lesson lesson : lessons) {
                String why = skipReason(lesson, broken);
                if (why != null) {
                    broken.add(lesson.id());
                    out.println("SKIP " + lesson.id() + ": " + why);
                    for (Step s : lesson.steps()) {
                        outcomes.add(new StepOutcome.Skipped(lesson.id(), s.title(), why));
                    }
                    continue;
                }
                testLesson(lesson.id(), outcomes, broken);
            }
        } finally {
            // A course test leaves no cluster behind that it started, even when a cleanup step failed.
            for (int id : workspace.clusters().running()) {
                if (!clustersBefore.contains(id)) {
                    workspace.clusters().stop(id);
                }
            }
        }
        out.println(summary(outcomes));
        return outcomes;
    }

    public static String summary(List<StepOutcome> outcomes) {
        long passed = outcomes.stream().filter(o -> o instanceof StepOutcome.Passed).count();
        long failed = outcomes.stream().filter(o -> o instanceof StepOutcome.Failed).count();
        long skipped = outcomes.stream().filter(o -> o instanceof StepOutcome.Skipped).count();
        return passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : "");
    }

    private void testLesson(String id, List<StepOutcome> outcomes, Set<String> broken) {
        StepLifecycle lifecycle = new StepLifecycle(workspace, CourseCursor.walk(workspace.course()));
        String failedStep = null;
        for (int i = 0; i < workspace.lesson(id).steps().size(); i++) {
            // Rendered afresh for each step: a cluster started by the previous step changes ${cluster.id}.
            StepLifecycle.Attempt attempt = lifecycle.step(id, i);
            Step step = attempt.step();
            if (failedStep != null) {
                String why = "an earlier step failed ('" + failedStep + "')";
                out.println("SKIP " + id + " / " + step.title() + ": " + why);
                outcomes.add(new StepOutcome.Skipped(id, step.title(), why));
                continue;
            }
            if (!attempt.runsHere()) {
                String why = "runs only on backend " + String.join(", ", step.backends()) + ", not on " + workspace.backend()
                        + " (the lesson says: " + firstSentence(step.elsewhere()) + ")";
                out.println("SKIP " + id + " / " + step.title() + ": " + why);
                outcomes.add(new StepOutcome.Skipped(id, step.title(), why));
                continue;
            }
            long start = System.nanoTime();
            StepOutcome o = testStep(attempt, start);
            outcomes.add(o);
            if (o instanceof StepOutcome.Failed f) {
                failedStep = step.title();
                broken.add(id);
                out.println("FAIL " + id + " / " + step.title() + ": " + f.reason());
                f.output().lines().limit(20).forEach(l -> out.println("     | " + l));
            } else {
                out.println("PASS " + id + " / " + step.title() + " (" + ((StepOutcome.Passed) o).millis() + " ms)");
            }
        }
    }

    /** The lifecycle as a test: setup, check (must fail), solve, check (must pass, then cleanup must succeed). */
    private StepOutcome testStep(StepLifecycle.Attempt attempt, long start) {
        Lesson lesson = attempt.lesson();
        Step step = attempt.step();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8);
        try {
            RunResult setup = attempt.enter(logStream);
            if (!setup.passed()) {
                return failed(lesson, step, "setup failed with status " + setup.exitCode(), log, start);
            }
            if (attempt.probe().passed()) {
                return failed(lesson, step, "check passes before the step is done (a step that starts solved is a course bug)", log, start);
            }
            RunResult solve = attempt.solve(logStream, BlockListener.QUIET); // a question is answered as the learner would: answer TEXT
            if (!solve.passed()) {
                return failed(lesson, step, (solve.timedOut() ? "solution timed out" : "solution failed with status " + solve.exitCode()), log, start);
            }
            StepLifecycle.Outcome after = attempt.check(logStream);
            if (!after.passed()) {
                logStream.print(after.check().output());
                return failed(lesson, step, "check fails after the solution: " + after.check().summary(), log, start);
            }
            if (!after.cleanup().passed()) {
                return failed(lesson, step, "cleanup failed with status " + after.cleanup().exitCode(), log, start);
            }
            return new StepOutcome.Passed(lesson.id(), step.title(), millis(start));
        } catch (UserError e) {
            return failed(lesson, step, e.getMessage(), log, start);
        }
    }

    private static String firstSentence(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        int end = flat.indexOf(". ");
        return end < 0 ? flat : flat.substring(0, end + 1);
    }

    private static StepOutcome failed(Lesson lesson, Step step, String reason, ByteArrayOutputStream log, long start) {
        return new StepOutcome.Failed(lesson.id(), step.title(), reason,
                log.toString(java.nio.charset.StandardCharsets.UTF_8), millis(start));
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private String skipReason(Lesson lesson, Set<String> broken) {
        if (!lesson.runsOn(workspace.backend())) {
            return "runs only on backend " + String.join(", ", lesson.backends()) + ", not on " + workspace.backend();
        }
        for (String req : lesson.requires()) {
            if (broken.contains(req)) {
                return "requires '" + req + "', which did not pass";
            }
        }
        return null;
    }

    private List<Lesson> select(List<String> ids) {
        var course = workspace.course();
        if (ids.isEmpty()) {
            return course.lessons();
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String id : ids) {
            Lesson l = course.lesson(id).orElseThrow(() -> new UserError("no lesson '" + id + "' in this course (known: "
                    + String.join(", ", course.ids()) + ")"));
            addWithRequirements(l, wanted);
        }
        return course.lessons().stream().filter(l -> wanted.contains(l.id())).toList();
    }

    private void addWithRequirements(Lesson l, Set<String> wanted) {
        for (String req : l.requires()) {
            workspace.course().lesson(req).ifPresent(r -> addWithRequirements(r, wanted));
        }
        wanted.add(l.id());
    }
}
