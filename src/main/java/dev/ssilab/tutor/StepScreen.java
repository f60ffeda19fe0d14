package dev.ssilab.tutor;

import dev.ssilab.course.Block;
import dev.ssilab.course.Lesson;
import dev.ssilab.course.Role;
import dev.ssilab.course.Step;
import dev.ssilab.course.Target;
import dev.ssilab.step.BlockListener;
import dev.ssilab.step.CourseCursor;
import dev.ssilab.step.CourseWorkspace;
import dev.ssilab.step.RunResult;
import dev.ssilab.step.ShellDirs;
import dev.ssilab.step.StepLifecycle;
import java.io.OutputStream;
import java.util.List;
import org.jline.utils.AttributedStyle;

/**
 * The tutor's face of the current step: shows it, runs what the learner asks (run, solve, a typed line,
 * an answer, a hint) through the step lifecycle, and shows the verdict. Moving on after a first pass is
 * the caller's: every action returns whether the step was just done.
 */
final class StepScreen {
    private final CourseWorkspace workspace;
    private final CourseCursor cursor;
    private final StepLifecycle lifecycle;
    private final TutorIO io;
    private final MarkdownRenderer md;
    private final Screens screens;
    private final Headings headings;
    private final TutorModel model;
    private int hintsShown;
    /** The folder each target's typed lines are in: a typed cd carries over, as in a shell. */
    private final ShellDirs shellDirs = new ShellDirs();

    StepScreen(CourseWorkspace workspace, CourseCursor cursor, TutorIO io, MarkdownRenderer md, Screens screens, TutorModel model) {
        this.workspace = workspace;
        this.cursor = cursor;
        this.lifecycle = new StepLifecycle(workspace, cursor);
        this.io = io;
        this.md = md;
        this.screens = screens;
        this.headings = new Headings(workspace.templates());
        this.model = model;
    }

    /** The current step, rendered now: a fresh attempt per action, since a step may start a cluster and change ${cluster.id}. */
    private StepLifecycle.Attempt attempt() {
        return lifecycle.step(cursor.lesson().id(), cursor.stepIndex());
    }

    /** Shows the step (and its lesson's intro, at its first step), then runs its setup. */
    void enter(boolean showIntro) {
        hintsShown = 0;
        cursor.settle();
        Lesson lesson = workspace.lesson(cursor.lesson().id());
        if (lesson.steps().isEmpty()) {
            return;
        }
        if (showIntro && cursor.stepIndex() == 0) {
            // The intro is paged on its own: quitting the pager early never hides the step below it.
            io.out().println();
            io.page(md.render(headings.lesson(lesson, lesson.runsOn(workspace.backend()), workspace.backend())));
        }
        StepLifecycle.Attempt a = attempt();
        Step step = a.step();
        io.out().println();
        io.page(md.render(headings.step(a.index(), lesson.steps().size(), step.title(), step.prose(), a.isDone(), a.runsHere(),
                step.backends(), workspace.backend())));
        RunResult setup = a.enter(OutputStream.nullOutputStream());
        if (!setup.passed()) {
            io.out().println(md.styled("ssilab: this step's setup failed (status " + setup.exitCode()
                    + "); its commands may not work. Output:\n" + setup.output().strip(), AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)));
        }
    }

    /** Whether the current step may be left with `next`: done, or not one this backend can do. */
    boolean mayLeave() {
        return cursor.stepCount() == 0 || cursor.currentDone() || !attempt().runsHere();
    }

    /** `run` executes the step's run blocks; `solve` its solution; both then check. Returns whether the step was just done. */
    boolean run(boolean solve) {
        StepLifecycle.Attempt a = attempt();
        Step step = a.step();
        if (notHere(a)) {
            return false;
        }
        if (step.isQuestion()) {
            if (!solve) {
                if (!step.blocks(Role.RUN).isEmpty()) {
                    a.run(step.blocks(Role.RUN), io.out(), new ShowCommands());
                }
                io.out().println("This step is a question: type answer and your answer (e.g. answer a); `hint` helps, `solve` answers it.");
                return false;
            }
            a.answer(step.answer());
            StepLifecycle.Outcome o = check(true);
            if (o.passed()) {
                io.out().print(md.render(headings.answer(step.answer())));
            }
            return o.firstTime();
        }
        List<Block> blocks = solve ? step.solution() : step.blocks(Role.RUN);
        if (blocks.isEmpty()) {
            io.out().println(solve ? "This step has no solution to run." : "This step has nothing to run for you: it asks you to do it yourself (`hint` helps, `solve` shows how).");
            return false;
        }
        RunResult r = a.run(blocks, io.out(), new ShowCommands());
        if (!r.passed()) {
            io.out().println(md.styled(r.timedOut() ? "The command did not finish in time." : "The command exited with status " + r.exitCode() + ".",
                    AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)));
        }
        StepLifecycle.Outcome o = check(false);
        if (o.passed() && solve) {
            io.out().print(md.render(headings.solution(blocks)));
        }
        return o.firstTime();
    }

    /** `check`: checks again and says what is missing. */
    boolean recheck() {
        return !notHere(attempt()) && check(true).firstTime();
    }

    /** A line the learner typed, run on the step's target; then the step is checked, unless it is a question or not for here. */
    boolean typed(String line) {
        StepLifecycle.Attempt a = attempt();
        RunResult r = a.typed(line, io.out(), shellDirs);
        if (!r.passed()) {
            io.out().println(md.styled("(exit status " + r.exitCode() + ")", AttributedStyle.DEFAULT.faint()));
        }
        if (a.step().isQuestion() || !a.runsHere()) {
            return false; // a question is answered with `answer`; a step of another backend has nothing to check here
        }
        return check(false).firstTime();
    }

    boolean answer(String text) {
        StepLifecycle.Attempt a = attempt();
        if (!a.step().isQuestion()) {
            io.out().println("This step is not a question: there is nothing to answer. Type its commands, or `run`; `hint` helps.");
            return false;
        }
        if (text.isBlank()) {
            io.out().println("Type your answer after the word: answer YOUR ANSWER");
            return false;
        }
        a.answer(text);
        return check(true).firstTime();
    }

    void hint() {
        List<String> hints = attempt().step().hints();
        if (hints.isEmpty()) {
            io.out().println("This step has no hints. `solve` runs the solution and shows it.");
        } else if (hintsShown >= hints.size()) {
            io.out().println("No more hints (" + hints.size() + " shown). `solve` runs the solution and shows it.");
        } else {
            String h = hints.get(hintsShown++);
            io.out().print(md.render(headings.hint(hintsShown, hints.size(), h)));
        }
    }

    /** The folder typed lines run in, as the prompt shows it (empty for the workdir). */
    String shownDir() {
        return cursor.stepCount() == 0 ? "" : shellDirs.shown(attempt().typedTarget(), workspace.workdir());
    }

    /** Says so and returns true when the step does not run on this backend. */
    private boolean notHere(StepLifecycle.Attempt a) {
        if (a.runsHere()) {
            return false;
        }
        Step step = a.step();
        io.out().println("This step runs on the " + String.join(", ", step.backends()) + " backend, not on " + workspace.backend()
                + "; on " + workspace.backend() + ": " + step.elsewhere().replaceAll("\\s+", " ").strip() + " Type next to go on.");
        return true;
    }

    /** Checks the step (rendered afresh: the command just run may have started a cluster) and shows the verdict. */
    private StepLifecycle.Outcome check(boolean explicit) {
        StepLifecycle.Attempt a = attempt();
        StepLifecycle.Outcome o = a.check(OutputStream.nullOutputStream());
        var c = o.check();
        if (o.passed()) {
            show(screens.stepResult(model.of(), a.step().title(), true, List.of()));
        } else if (explicit || !c.failLines().isEmpty()) {
            show(screens.stepResult(model.of(), a.step().title(), false, c.failLines().isEmpty() ? List.of(c.summary()) : c.failLines()));
        } else {
            io.out().println(md.styled("Not done yet: " + c.summary() + ". (`hint` for help)", AttributedStyle.DEFAULT.faint()));
        }
        return o;
    }

    private void show(String rendered) {
        io.out().println();
        io.page(rendered);
    }

    /** Prints each command before it runs, as the learner would have typed it. */
    private final class ShowCommands implements BlockListener {
        @Override
        public void starting(Block block) {
            String where = block.target() instanceof Target.Node n ? "node" + n.number() : "";
            for (String l : block.code().stripTrailing().lines().toList()) {
                io.out().println(md.styled(where + "$ " + l, AttributedStyle.BOLD));
            }
        }
    }
}
