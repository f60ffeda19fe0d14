package dev.ssilab.tutor;

import dev.ssilab.cluster.ExecResult;
import dev.ssilab.course.Block;
import dev.ssilab.course.Lesson;
import dev.ssilab.course.Role;
import dev.ssilab.course.Step;
import dev.ssilab.course.Target;
import dev.ssilab.state.UserError;
import dev.ssilab.step.BlockListener;
import dev.ssilab.step.CheckResult;
import dev.ssilab.step.CourseWorkspace;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.jline.utils.AttributedStyle;

/**
 * Auto-play for workshop demos: shows each step's prose, "types" its solution at a readable pace,
 * runs it with live output, then its check; stops at the first failure.
 */
public final class Player {
    private final CourseWorkspace workspace;
    private final PrintStream out;
    private final MarkdownRenderer md;
    private final long paceMillis;

    public Player(CourseWorkspace workspace, PrintStream out, int width, boolean color, double paceSeconds) {
        this.workspace = workspace;
        this.out = out;
        this.md = new MarkdownRenderer(width, color);
        this.paceMillis = (long) (paceSeconds * 1000);
    }

    /** Plays the lessons in order; returns 0 when every step passed, 1 at the first failure. */
    public int play(List<String> lessonIds) {
        for (String id : lessonIds) {
            Lesson lesson = workspace.lesson(id);
            if (!lesson.runsOn(workspace.backend())) {
                out.println(md.styled("Skipping '" + id + "': it runs on " + String.join(", ", lesson.backends())
                        + ", not on " + workspace.backend(), AttributedStyle.DEFAULT.faint()));
                continue;
            }
            out.print(md.render("# " + lesson.title() + "\n\n" + lesson.intro()));
            for (int i = 0; i < lesson.steps().size(); i++) {
                lesson = workspace.lesson(id);
                if (!playStep(lesson, i)) {
                    return 1;
                }
            }
        }
        out.println(md.styled("✔ All steps played.", AttributedStyle.BOLD.foreground(AttributedStyle.GREEN)));
        return 0;
    }

    private boolean playStep(Lesson lesson, int index) {
        Step step = lesson.steps().get(index);
        Map<String, String> env = workspace.stepEnvironment(lesson, index);
        out.println();
        out.print(md.render("## Step " + (index + 1) + "/" + lesson.steps().size() + ": " + step.title() + "\n\n" + step.prose()));
        pause();
        var runner = workspace.runner();
        try {
            runner.runBlocks(step.blocks(Role.SETUP), env, java.io.OutputStream.nullOutputStream(), BlockListener.QUIET);
            ExecResult r = runner.runBlocks(step.solution(), env, out, new Typist());
            if (r.exitCode() != 0) {
                out.println(md.styled("✘ " + step.title() + ": the command exited with status " + r.exitCode(), AttributedStyle.BOLD.foreground(AttributedStyle.RED)));
                return false;
            }
            CheckResult c = runner.check(step, env);
            if (!c.passed()) {
                out.println(md.styled("✘ " + step.title() + ": " + c.summary(), AttributedStyle.BOLD.foreground(AttributedStyle.RED)));
                return false;
            }
            out.println(md.styled("✔ " + step.title(), AttributedStyle.BOLD.foreground(AttributedStyle.GREEN)));
            runner.runBlocks(step.blocks(Role.CLEANUP), env, java.io.OutputStream.nullOutputStream(), BlockListener.QUIET);
            return true;
        } catch (UserError e) {
            out.println(md.styled("✘ " + step.title() + ": " + e.getMessage(), AttributedStyle.BOLD.foreground(AttributedStyle.RED)));
            return false;
        }
    }

    private void pause() {
        if (paceMillis > 0) {
            try {
                Thread.sleep(paceMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Types each command character by character, as an instructor would in front of the room. */
    private final class Typist implements BlockListener {
        @Override
        public void starting(Block block) {
            String where = block.target() instanceof Target.Node n ? "node" + n.number() : "";
            for (String line : block.code().stripTrailing().lines().toList()) {
                out.print(md.styled(where + "$ ", AttributedStyle.BOLD));
                long perChar = paceMillis == 0 ? 0 : Math.max(5, Math.min(40, paceMillis / Math.max(1, line.length())));
                for (char c : line.toCharArray()) {
                    out.print(md.styled(String.valueOf(c), AttributedStyle.BOLD));
                    out.flush();
                    if (perChar > 0) {
                        try {
                            Thread.sleep(perChar);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
                out.println();
            }
        }

        @Override
        public void finished(Block block, ExecResult result) {
            pause();
        }
    }
}
