package dev.ssilab.tutor;

import dev.ssilab.cluster.ExecResult;
import dev.ssilab.course.Block;
import dev.ssilab.course.Course;
import dev.ssilab.course.Lesson;
import dev.ssilab.course.Role;
import dev.ssilab.course.Step;
import dev.ssilab.course.Target;
import dev.ssilab.state.Progress;
import dev.ssilab.state.UserError;
import dev.ssilab.step.BlockListener;
import dev.ssilab.step.CheckResult;
import dev.ssilab.step.CourseWorkspace;
import dev.ssilab.step.ShellDirs;
import dev.ssilab.step.StepRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jline.utils.AttributedStyle;

/**
 * The interactive loop: shows the current step, reads a command, runs it through the step runner,
 * and moves on when the step's check passes. It holds the learner's position; the work is elsewhere.
 */
public final class Tutor {
    private final CourseWorkspace workspace;
    private final Course course;
    private final TutorIO io;
    private final Path progressFile;
    private final Progress progress;
    private final MarkdownRenderer md;
    private final Screens screens;
    private int lessonIndex;
    private int stepIndex;
    private int hintsShown;
    /** The folder each target's typed lines are in: a typed cd carries over, as in a shell. */
    private final ShellDirs shellDirs = new ShellDirs();

    Tutor(CourseWorkspace workspace, TutorIO io, Path progressFile, Progress.Loaded loaded) {
        this.workspace = workspace;
        this.course = workspace.course();
        this.io = io;
        this.progressFile = progressFile;
        this.progress = loaded.progress();
        this.md = new MarkdownRenderer(io.width(), io.color());
        this.screens = new Screens(workspace.templates(), md);
        if (loaded.warning() != null) {
            io.out().println(md.styled("ssilab: " + loaded.warning(), AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)));
        }
        int at = progress.lesson() == null ? -1 : course.indexOf(progress.lesson());
        lessonIndex = Math.max(at, 0);
        stepIndex = at < 0 ? 0 : Math.min(progress.step(), course.lessons().get(lessonIndex).steps().size() - 1);
        io.lessonIds(course.ids());
        workspace.runner().keyboard(io.keyboard());
        io.onInterrupt(() -> {
            if (workspace.runner().cancellation().cancel()) {
                io.out().println("\n^C (command stopped)");
            }
        });
    }

    /** Runs the loop until quit or end of input; returns the exit status. */
    public int loop() {
        boolean resuming = progress.lesson() != null;
        show(screens.welcome(model(), resuming));
        enterStep(true);
        while (true) {
            io.status(statusLine());
            String line = io.readLine(prompt());
            if (line == null) {
                save();
                io.out().println();
                return 0;
            }
            if (line.isBlank()) {
                continue;
            }
            try {
                if (!dispatch(TutorCommand.Typed.parse(line))) {
                    save();
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
            typed(t.argument());
            return true;
        }
        // A switch expression, so a command added to TutorCommand does not compile until it has an action here.
        Runnable action = switch (t.command()) {
            case QUIT, EXIT -> null; // no action: the loop ends
            case HELP -> () -> show(screens.help(model()));
            case NEXT -> this::next;
            case BACK -> this::back;
            case RUN -> () -> runStep(false);
            case SOLVE -> () -> runStep(true);
            case CHECK -> () -> {
                if (!notHere(step())) {
                    check(true).moveOn();
                }
            };
            case HINT -> this::hint;
            case ANSWER -> () -> answer(t.argument());
            case LESSONS -> () -> show(screens.lessons(lessonList()));
            case GOTO -> () -> gotoLesson(t.argument());
            case STATUS -> () -> show(screens.status(model()));
            case RESET -> () -> reset(t.argument());
        };
        if (action == null) {
            return false;
        }
        action.run();
        return true;
    }

    private void enterStep(boolean showIntro) {
        hintsShown = 0;
        Lesson lesson = lesson();
        progress.moveTo(lesson.id(), stepIndex);
        save();
        if (lesson.steps().isEmpty()) {
            return;
        }
        Step step = step();
        if (showIntro && stepIndex == 0) {
            // The intro is paged on its own: quitting the pager early never hides the step below it.
            StringBuilder intro = new StringBuilder("# ").append(lesson.title()).append("\n\n");
            if (!lesson.intro().isBlank()) {
                intro.append(lesson.intro()).append("\n\n");
            }
            if (!lesson.runsOn(workspace.backend())) {
                intro.append("> This lesson runs on the ").append(String.join(", ", lesson.backends()))
                        .append(" backend; you are on ").append(workspace.backend()).append(". Restart with `--backend ")
                        .append(lesson.backends().get(0)).append("` to do its steps.\n\n");
            }
            io.out().println();
            io.page(md.render(intro.toString()));
        }
        StringBuilder text = new StringBuilder();
        text.append("## Step ").append(stepIndex + 1).append("/").append(lesson.steps().size()).append(": ")
                .append(step.title()).append("\n\n").append(step.prose()).append("\n");
        if (progress.isDone(lesson.id(), stepIndex)) {
            text.append("\n*You have done this step already: type `next` to go on.*\n");
        } else if (!step.runsOn(workspace.backend())) {
            text.append("\n*This step runs on the ").append(String.join(", ", step.backends())).append(" backend, not on ")
                    .append(workspace.backend()).append(": read what it says above, then type `next`.*\n");
        }
        io.out().println();
        io.page(md.render(text.toString()));
        if (!progress.isDone(lesson.id(), stepIndex) && step.runsOn(workspace.backend()) && !step.blocks(Role.SETUP).isEmpty()) {
            ExecResult setup = runner().runBlocks(step.blocks(Role.SETUP), env(), java.io.OutputStream.nullOutputStream(), BlockListener.QUIET);
            if (setup.exitCode() != 0) {
                io.out().println(md.styled("ssilab: this step's setup failed (status " + setup.exitCode()
                        + "); its commands may not work. Output:\n" + setup.output().strip(), AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)));
            }
        }
    }

    private void next() {
        Lesson lesson = lesson();
        if (!lesson.steps().isEmpty() && !progress.isDone(lesson.id(), stepIndex) && step().runsOn(workspace.backend())) {
            io.out().println("This step is not done yet: type `run` to run it, or type its commands yourself; `hint` helps, `check` re-checks.");
            return;
        }
        advance();
    }

    private void advance() {
        if (stepIndex + 1 < lesson().steps().size()) {
            stepIndex++;
            enterStep(false);
        } else if (lessonIndex + 1 < course.lessons().size()) {
            lessonIndex++;
            stepIndex = 0;
            enterStep(true);
        } else {
            save();
            show(screens.finish(model()));
        }
    }

    private void back() {
        if (stepIndex > 0) {
            stepIndex--;
        } else if (lessonIndex > 0) {
            lessonIndex--;
            stepIndex = Math.max(0, lesson().steps().size() - 1);
        } else {
            io.out().println("This is the first step of the course.");
            return;
        }
        enterStep(stepIndex == 0);
    }

    /** `run` executes the step's run blocks; `solve` its solution; both then check. */
    private void runStep(boolean solve) {
        Step step = step();
        if (notHere(step)) {
            return;
        }
        if (step.isQuestion()) {
            if (!solve) {
                if (!step.blocks(Role.RUN).isEmpty()) {
                    runner().runBlocks(step.blocks(Role.RUN), env(), io.out(), new ShowCommands());
                }
                io.out().println("This step is a question: type answer and your answer (e.g. answer a); `hint` helps, `solve` answers it.");
                return;
            }
            Verdict v = answerWith(step.answer());
            if (v.passed()) {
                io.out().print(md.render("The answer was:\n\n```\nanswer " + step.answer() + "\n```\n"));
            }
            v.moveOn();
            return;
        }
        List<Block> blocks = solve ? step.solution() : step.blocks(Role.RUN);
        if (blocks.isEmpty()) {
            io.out().println(solve ? "This step has no solution to run." : "This step has nothing to run for you: it asks you to do it yourself (`hint` helps, `solve` shows how).");
            return;
        }
        ExecResult r = runner().runBlocks(blocks, env(), io.out(), new ShowCommands());
        if (r.exitCode() != 0) {
            io.out().println(md.styled(r.timedOut() ? "The command did not finish in time." : "The command exited with status " + r.exitCode() + ".",
                    AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)));
        }
        Verdict v = check(false);
        if (v.passed() && solve) {
            StringBuilder shown = new StringBuilder("The solution was:\n\n");
            for (Block b : blocks) {
                shown.append("```sh run").append(b.target() instanceof Target.Node n ? " on=node:" + n.number() : "").append('\n')
                        .append(b.code()).append("```\n\n");
            }
            io.out().print(md.render(shown.toString()));
        }
        v.moveOn();
    }

    /** Says so and returns true when the current step does not run on this backend. */
    private boolean notHere(Step step) {
        if (step.runsOn(workspace.backend())) {
            return false;
        }
        io.out().println("This step runs on the " + String.join(", ", step.backends()) + " backend, not on " + workspace.backend()
                + "; on " + workspace.backend() + ": " + step.elsewhere().replaceAll("\\s+", " ").strip() + " Type next to go on.");
        return true;
    }

    private void typed(String line) {
        Step step = step();
        Target target = target(step);
        ExecResult r = runner().runTyped(line, step, target, env(), io.out(), shellDirs);
        if (step.isQuestion() || !step.runsOn(workspace.backend())) {
            if (r.exitCode() != 0) {
                io.out().println(md.styled("(exit status " + r.exitCode() + ")", AttributedStyle.DEFAULT.faint()));
            }
            return; // a question is answered with `answer`; a step of another backend has nothing to check here
        }
        if (r.exitCode() != 0) {
            io.out().println(md.styled("(exit status " + r.exitCode() + ")", AttributedStyle.DEFAULT.faint()));
        }
        check(false).moveOn();
    }

    private void answer(String text) {
        if (!step().isQuestion()) {
            io.out().println("This step is not a question: there is nothing to answer. Type its commands, or `run`; `hint` helps.");
            return;
        }
        if (text.isBlank()) {
            io.out().println("Type your answer after the word: answer YOUR ANSWER");
            return;
        }
        answerWith(text).moveOn();
    }

    private Verdict answerWith(String text) {
        workspace.saveAnswer(lesson(), stepIndex, text);
        return check(true);
    }

    /** Where typed lines of this step run: the target of its first run block, else the host. */
    private static Target target(Step step) {
        return step.blocks(Role.RUN).stream().map(Block::target).findFirst().orElse(Target.HOST);
    }

    /** A check's verdict; {@link #moveOn()} advances when the step has just been done for the first time. */
    private record Verdict(boolean passed, Runnable next) {
        void moveOn() {
            next.run();
        }
    }

    /** Runs the step's check; on a pass marks the step done and runs its cleanup. */
    private Verdict check(boolean explicit) {
        Lesson lesson = lesson();
        Step step = step();
        CheckResult c = runner().check(step, env());
        if (!c.passed()) {
            if (explicit || !c.failLines().isEmpty()) {
                show(screens.stepResult(model(), step.title(), false, c.failLines().isEmpty() ? List.of(c.summary()) : c.failLines()));
            } else {
                io.out().println(md.styled("Not done yet: " + c.summary() + ". (`hint` for help)", AttributedStyle.DEFAULT.faint()));
            }
            return new Verdict(false, () -> {});
        }
        boolean already = progress.isDone(lesson.id(), stepIndex);
        progress.markDone(lesson.id(), stepIndex);
        save();
        show(screens.stepResult(model(), step.title(), true, List.of()));
        runner().runBlocks(step.blocks(Role.CLEANUP), env(), java.io.OutputStream.nullOutputStream(), BlockListener.QUIET);
        return new Verdict(true, already ? () -> {} : this::advance);
    }

    private void hint() {
        List<String> hints = step().hints();
        if (hints.isEmpty()) {
            io.out().println("This step has no hints. `solve` runs the solution and shows it.");
        } else if (hintsShown >= hints.size()) {
            io.out().println("No more hints (" + hints.size() + " shown). `solve` runs the solution and shows it.");
        } else {
            String h = hints.get(hintsShown++);
            io.out().print(md.render("> **Hint " + hintsShown + "/" + hints.size() + ":** " + h.replace("\n", "\n> ")));
        }
    }

    private void gotoLesson(String id) {
        if (id.isBlank()) {
            io.out().println("Which lesson? goto ID (ids: " + String.join(", ", course.ids()) + ")");
            return;
        }
        int at = course.indexOf(id);
        if (at < 0) {
            throw new UserError("no lesson '" + id + "' (type lessons to see them all)");
        }
        Lesson target = course.lessons().get(at);
        for (String req : target.requires()) {
            Lesson r = course.lesson(req).orElseThrow();
            if (progress.doneCount(req) < r.steps().size()) {
                io.out().println("Note: '" + id + "' builds on '" + req + "', which you have not finished; some steps may fail until you do.");
            }
        }
        lessonIndex = at;
        stepIndex = 0;
        enterStep(true);
    }

    private void reset(String id) {
        if (id.isBlank()) {
            if (io.interactive() && !io.confirm("Forget all your progress in the course?")) {
                return;
            }
            progress.reset(null);
            lessonIndex = 0;
            stepIndex = 0;
            io.out().println("All progress forgotten.");
            enterStep(true);
            return;
        }
        int at = course.indexOf(id);
        if (at < 0) {
            throw new UserError("no lesson '" + id + "' to reset (type lessons to see them all)");
        }
        progress.reset(id);
        io.out().println("Progress in '" + id + "' forgotten.");
        if (at == lessonIndex) {
            stepIndex = 0;
            enterStep(true);
        } else {
            save();
        }
    }

    private List<Map<String, Object>> lessonList() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < course.lessons().size(); i++) {
            Lesson l = course.lessons().get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", l.id());
            m.put("title", l.title());
            m.put("steps", l.steps().size());
            m.put("done", progress.doneCount(l.id()));
            m.put("current", i == lessonIndex);
            m.put("runsHere", l.runsOn(workspace.backend()));
            m.put("backends", String.join(", ", l.backends()));
            list.add(m);
        }
        return list;
    }

    private Map<String, Object> model() {
        Map<String, Object> m = new LinkedHashMap<>(workspace.variables().model());
        Lesson l = lesson();
        m.put("lessonNumber", lessonIndex + 1);
        m.put("lessonCount", course.lessons().size());
        m.put("lessonTitle", l.title());
        m.put("lessonId", l.id());
        m.put("stepNumber", stepIndex + 1);
        m.put("stepCount", l.steps().size());
        m.put("stepTitle", l.steps().isEmpty() ? "" : step().title());
        m.put("lessons", lessonList());
        int done = 0;
        int total = 0;
        for (Lesson each : course.lessons()) {
            done += progress.doneCount(each.id());
            total += each.steps().size();
        }
        m.put("stepsDone", done);
        m.put("stepsTotal", total);
        m.put("cluster", clusterModel());
        return m;
    }

    private Map<String, Object> clusterModel() {
        Map<String, Object> c = new LinkedHashMap<>();
        var current = workspace.clusters().current();
        c.put("running", current.isPresent());
        c.put("id", current.isPresent() ? current.getAsInt() : workspace.clusters().nextId());
        c.put("backend", workspace.backend());
        return c;
    }

    private String statusLine() {
        var current = workspace.clusters().current();
        return " lesson " + (lessonIndex + 1) + "/" + course.lessons().size() + " · step " + (stepIndex + 1) + "/"
                + lesson().steps().size() + " · " + lesson().title() + " · cluster "
                + (current.isPresent() ? current.getAsInt() : "none") + " · backend " + workspace.backend();
    }

    private String prompt() {
        String dir = lesson().steps().isEmpty() ? "" : shellDirs.shown(target(step()), workspace.workdir());
        return "ssilab " + lesson().id() + " " + (stepIndex + 1) + "/" + lesson().steps().size() + (dir.isEmpty() ? "" : " " + dir) + "> ";
    }

    private Lesson lesson() {
        return workspace.lesson(course.lessons().get(lessonIndex).id());
    }

    private Step step() {
        return lesson().steps().get(stepIndex);
    }

    private Map<String, String> env() {
        return workspace.stepEnvironment(lesson(), stepIndex);
    }

    private StepRunner runner() {
        return workspace.runner();
    }

    private void save() {
        progress.save(progressFile);
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

        @Override
        public void finished(Block block, ExecResult result) {}
    }
}
