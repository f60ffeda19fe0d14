package dev.ssilab.tutor;

import dev.ssilab.course.Lesson;
import dev.ssilab.state.Progress;
import dev.ssilab.state.UserError;
import dev.ssilab.step.CourseCursor;
import dev.ssilab.step.CourseWorkspace;
import java.nio.file.Path;
import org.jline.utils.AttributedStyle;

/**
 * The interactive loop: reads a command, hands it to the step on screen or moves through the course,
 * and goes on to the next step when one is done for the first time. Where the learner is lives in the
 * course cursor; what a step does, in the step lifecycle (through {@link StepScreen}).
 */
public final class Tutor {
    private final CourseWorkspace workspace;
    private final TutorIO io;
    private final CourseCursor cursor;
    private final MarkdownRenderer md;
    private final Screens screens;
    private final TutorModel model;
    private final StepScreen step;

    Tutor(CourseWorkspace workspace, TutorIO io, Path progressFile, Progress.Loaded loaded) {
        this.workspace = workspace;
        this.io = io;
        this.cursor = CourseCursor.resume(workspace.course(), loaded.progress(), progressFile);
        this.md = new MarkdownRenderer(io.width(), io.color());
        this.screens = new Screens(workspace.templates(), md);
        this.model = new TutorModel(workspace, cursor);
        this.step = new StepScreen(workspace, cursor, io, md, screens, model);
        if (loaded.warning() != null) {
            io.out().println(md.styled("ssilab: " + loaded.warning(), AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)));
        }
        io.lessonIds(workspace.course().ids());
        workspace.runner().keyboard(io.keyboard());
        io.onInterrupt(() -> {
            if (workspace.runner().cancellation().cancel()) {
                io.out().println("\n^C (command stopped)");
            }
        });
    }

    /** Runs the loop until quit or end of input; returns the exit status. */
    public int loop() {
        show(screens.welcome(model.of(), cursor.started()));
        step.enter(true);
        while (true) {
            io.status(model.statusLine());
            String line = io.readLine(model.prompt(step.shownDir()));
            if (line == null) {
                cursor.save();
                io.out().println();
                return 0;
            }
            if (line.isBlank()) {
                continue;
            }
            try {
                if (!dispatch(TutorCommand.Typed.parse(line))) {
                    cursor.save();
                    io.out().println("Progress saved. Type ssilab to come back to this step.");
                    return 0;
                }
            } catch (UserError e) {
                io.out().println(md.styled("ssilab: " + e.getMessage(), AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)));
            }
        }
    }

    /** Handles one command; false means quit. */
    private boolean dispatch(TutorCommand.Typed t) {
        if (t.isShell()) {
            moveOnIf(step.typed(t.argument()));
            return true;
        }
        // A switch expression, so a command added to TutorCommand does not compile until it has an action here.
        Runnable action = switch (t.command()) {
            case QUIT, EXIT -> null; // no action: the loop ends
            case HELP -> () -> show(screens.help(model.of()));
            case NEXT -> this::next;
            case BACK -> this::back;
            case RUN -> () -> moveOnIf(step.run(false));
            case SOLVE -> () -> moveOnIf(step.run(true));
            case CHECK -> () -> moveOnIf(step.recheck());
            case HINT -> step::hint;
            case ANSWER -> () -> moveOnIf(step.answer(t.argument()));
            case LESSONS -> () -> show(screens.lessons(model.lessons()));
            case GOTO -> () -> gotoLesson(t.argument());
            case STATUS -> () -> show(screens.status(model.of()));
            case RESET -> () -> reset(t.argument());
        };
        if (action == null) {
            return false;
        }
        action.run();
        return true;
    }

    /** A step done for the first time leads on to the next one; one done again stays on screen. */
    private void moveOnIf(boolean firstTime) {
        if (firstTime) {
            advance();
        }
    }

    private void next() {
        if (!step.mayLeave()) {
            io.out().println("This step is not done yet: type `run` to run it, or type its commands yourself; `hint` helps, `check` re-checks.");
            return;
        }
        advance();
    }

    private void advance() {
        switch (cursor.next()) {
            case STEP -> step.enter(false);
            case LESSON -> step.enter(true);
            case NONE -> {
                cursor.save();
                show(screens.finish(model.of()));
            }
        }
    }

    private void back() {
        if (cursor.back() == CourseCursor.Move.NONE) {
            io.out().println("This is the first step of the course.");
            return;
        }
        step.enter(cursor.stepIndex() == 0);
    }

    private void gotoLesson(String id) {
        if (id.isBlank()) {
            io.out().println("Which lesson? goto ID (ids: " + String.join(", ", workspace.course().ids()) + ")");
            return;
        }
        cursor.goTo(id);
        for (String req : cursor.lesson().requires()) {
            Lesson r = workspace.course().lesson(req).orElseThrow();
            if (!cursor.finished(r)) {
                io.out().println("Note: '" + id + "' builds on '" + req + "', which you have not finished; some steps may fail until you do.");
            }
        }
        step.enter(true);
    }

    private void reset(String id) {
        if (id.isBlank()) {
            if (io.interactive() && !io.confirm("Forget all your progress in the course?")) {
                return;
            }
            cursor.resetAll();
            io.out().println("All progress forgotten.");
            step.enter(true);
            return;
        }
        boolean moved = cursor.reset(id);
        io.out().println("Progress in '" + id + "' forgotten.");
        if (moved) {
            step.enter(true);
        }
    }

    private void show(String rendered) {
        io.out().println();
        io.page(rendered);
    }
}
