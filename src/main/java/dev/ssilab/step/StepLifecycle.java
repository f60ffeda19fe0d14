package dev.ssilab.step;

import dev.ssilab.course.Block;
import dev.ssilab.course.Lesson;
import dev.ssilab.course.Role;
import dev.ssilab.course.Step;
import dev.ssilab.course.Target;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * A step's lifecycle, written once: enter it (its setup runs), attempt it (its run or solve blocks, a
 * line the learner typed, an answer), check it. A passing check has marked the step done and run its
 * cleanup by the time its outcome is returned, so no presenter can do those in another order or forget
 * one. The tutor, auto-play and the course tester are three presenters of the same lifecycle.
 */
public final class StepLifecycle {
    private final CourseWorkspace workspace;
    private final DoneSteps done;

    public StepLifecycle(CourseWorkspace workspace, DoneSteps done) {
        this.workspace = workspace;
        this.done = done;
    }

    /** The step {@code index} of lesson {@code lessonId}, rendered with the course's variables as they are now. */
    public Attempt step(String lessonId, int index) {
        return new Attempt(workspace.lesson(lessonId), index);
    }

    /**
     * What a check found; when it passed, the step is marked done and its cleanup has run.
     *
     * @param firstTime the check passed and the step had not been done before
     * @param cleanup how the cleanup blocks ended (null when the check failed and none ran)
     */
    public record Outcome(CheckResult check, boolean firstTime, RunResult cleanup) {
        public boolean passed() {
            return check.passed();
        }
    }

    /** One step being worked on. Its environment is computed on first use: it may start the course's mirror. */
    public final class Attempt {
        private final Lesson lesson;
        private final int index;
        private final Step step;
        private Map<String, String> env;

        private Attempt(Lesson lesson, int index) {
            this.lesson = lesson;
            this.index = index;
            this.step = lesson.steps().get(index);
        }

        public Lesson lesson() {
            return lesson;
        }

        public Step step() {
            return step;
        }

        public int index() {
            return index;
        }

        /** Whether the step runs on the course's backend (a step may be limited to another). */
        public boolean runsHere() {
            return step.runsOn(workspace.backend());
        }

        public boolean isDone() {
            return done.isDone(lesson.id(), index);
        }

        /** Runs the step's setup, unless it is done already or does not run here; its output goes to {@code log}. */
        public RunResult enter(OutputStream log) {
            if (isDone() || !runsHere()) {
                return new RunResult(0, "");
            }
            return run(step.blocks(Role.SETUP), log, BlockListener.QUIET);
        }

        /** Runs {@code blocks} of this step in order, stopping at the first that fails. */
        public RunResult run(List<Block> blocks, OutputStream live, BlockListener listener) {
            return RunResult.of(workspace.runner().runBlocks(blocks, env(), live, listener));
        }

        /** The step's solution (solve blocks, else run blocks); a question is then answered with its accepted answer. */
        public RunResult solve(OutputStream live, BlockListener listener) {
            RunResult r = run(step.solution(), live, listener);
            if (r.passed() && step.isQuestion()) {
                answer(step.answer());
            }
            return r;
        }

        /** A line the learner typed, run where the step's commands run, in the folder of their last cd there. */
        public RunResult typed(String line, OutputStream live, ShellDirs dirs) {
            return RunResult.of(workspace.runner().runTyped(line, step, typedTarget(), env(), live, dirs));
        }

        /** Where typed lines of this step run: the target of its first run block, else the host. */
        public Target typedTarget() {
            return step.blocks(Role.RUN).stream().map(Block::target).findFirst().orElse(Target.HOST);
        }

        /** Gives a question step the learner's answer, where its check reads it ($SSILAB_ANSWER_FILE). */
        public void answer(String text) {
            workspace.saveAnswer(lesson, index, text);
        }

        /** Runs the check alone, changing nothing: the course tester's "a step must not start solved". */
        public CheckResult probe() {
            return workspace.runner().check(step, env());
        }

        /** Checks the step; on a pass marks it done, then runs its cleanup (output to {@code cleanupLog}). */
        public Outcome check(OutputStream cleanupLog) {
            CheckResult c = probe();
            if (!c.passed()) {
                return new Outcome(c, false, null);
            }
            boolean firstTime = !isDone();
            done.markDone(lesson.id(), index);
            RunResult cleanup = run(step.blocks(Role.CLEANUP), cleanupLog, BlockListener.QUIET);
            return new Outcome(c, firstTime, cleanup);
        }

        private Map<String, String> env() {
            if (env == null) {
                env = workspace.stepEnvironment(lesson, index);
            }
            return env;
        }
    }
}
