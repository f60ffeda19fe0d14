package dev.ssilab.tutor;

import dev.ssilab.course.Block;
import dev.ssilab.course.Lesson;
import dev.ssilab.course.Step;
import dev.ssilab.course.Target;
import dev.ssilab.state.UserError;
import dev.ssilab.step.BlockListener;
import dev.ssilab.step.CourseCursor;
import dev.ssilab.step.CourseWorkspace;
import dev.ssilab.step.RunResult;
import dev.ssilab.step.StepLifecycle;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
    private final ShortPaths paths;
    private final Headings headings;
    private String lastClusterState = "";

    public Player(CourseWorkspace workspace, PrintStream out, int width, boolean color, double paceSeconds) {
        this.workspace = workspace;
        String home = System.getenv("HOME"); // the learner's ~, which is what a shell would expand
        this.paths = new ShortPaths(workspace.workdir(), Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home));
        this.out = new PrintStream(paths.wrap(out), true, StandardCharsets.UTF_8);
        this.md = new MarkdownRenderer(width, color);
        this.paceMillis = (long) (paceSeconds * 1000);
        this.headings = new Headings(workspace.templates());
    }

    /** Plays the lessons in order; returns 0 when every step passed, 1 at the first failure. */
    public int play(List<String> lessonIds) {
        out.println("Playing in " + workspace.workdir() + " on backend " + workspace.backend()
                + (workspace.simulated() ? " (cluster steps are simulated)" : ""));
        for (String id : lessonIds) {
            Lesson lesson = workspace.lesson(id);
            if (!lesson.runsOn(workspace.backend())) {
                out.println(md.styled("Skipping '" + id + "': it runs on " + String.join(", ", lesson.backends())
                        + ", not on " + workspace.backend(), AttributedStyle.DEFAULT.faint()));
                continue;
            }
            out.print(md.render(headings.lesson(lesson, true, workspace.backend())));
            StepLifecycle lifecycle = new StepLifecycle(workspace, CourseCursor.walk(workspace.course()));
            for (int i = 0; i < lesson.steps().size(); i++) {
                // Rendered afresh for each step: a cluster started by the previous step changes ${cluster.id}.
                if (!playStep(lifecycle.step(id, i))) {
                    return 1;
                }
                showCluster();
            }
        }
        out.println(md.styled("✔ All steps played.", AttributedStyle.BOLD.foreground(AttributedStyle.GREEN)));
        return 0;
    }

    private boolean playStep(StepLifecycle.Attempt attempt) {
        Step step = attempt.step();
        out.println();
        // The commands are typed below, so the prose shows them only there (each command appears once).
        out.print(md.render(headings.step(attempt.index(), attempt.lesson().steps().size(), step.title(), step.narration(), false, true, step.backends(), workspace.backend())));
        if (!attempt.runsHere()) {
            out.println(md.styled("↷ " + step.title() + ": not played on " + workspace.backend() + " (it runs on "
                    + String.join(", ", step.backends()) + ")", AttributedStyle.DEFAULT.faint()));
            return true;
        }
        pause();
        try {
            attempt.enter(java.io.OutputStream.nullOutputStream());
            RunResult r = attempt.solve(out, new Typist());
            if (r.passed() && step.isQuestion()) {
                type("", "answer " + step.answer());
            }
            if (!r.passed()) {
                out.println(md.styled("✘ " + step.title() + ": the command exited with status " + r.exitCode(), AttributedStyle.BOLD.foreground(AttributedStyle.RED)));
                return false;
            }
            StepLifecycle.Outcome o = attempt.check(java.io.OutputStream.nullOutputStream());
            if (!o.passed()) {
                out.println(md.styled("✘ " + step.title() + ": " + o.check().summary(), AttributedStyle.BOLD.foreground(AttributedStyle.RED)));
                return false;
            }
            out.println(md.styled("✔ " + step.title(), AttributedStyle.BOLD.foreground(AttributedStyle.GREEN)));
            return true;
        } catch (UserError e) {
            out.println(md.styled("✘ " + step.title() + ": " + e.getMessage(), AttributedStyle.BOLD.foreground(AttributedStyle.RED)));
            return false;
        }
    }

    /** After a step, the cluster's nodes and services, when they changed: the room sees what the step did. */
    private void showCluster() {
        var clusters = workspace.clusters();
        var id = clusters.current();
        String state;
        if (id.isEmpty()) {
            state = lastClusterState.isEmpty() ? "" : "no cluster is running";
        } else {
            StringBuilder sb = new StringBuilder("cluster " + id.getAsInt() + " (" + workspace.backend() + "):");
            try {
                for (var n : clusters.status(id.getAsInt())) {
                    sb.append("  ").append(n.node()).append(' ').append(n.state());
                    if (!n.services().isEmpty()) {
                        sb.append(" [").append(String.join(", ", n.services())).append(']');
                    }
                }
            } catch (UserError e) {
                sb.append(' ').append(e.getMessage());
            }
            state = sb.toString();
        }
        if (!state.equals(lastClusterState)) {
            lastClusterState = state;
            if (!state.isEmpty()) {
                out.println(md.styled("▣ " + state, AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN)));
            }
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

    /** Types one command line character by character, as an instructor would in front of the room. */
    private void type(String where, String line) {
        String shown = paths.shorten(line);
        out.print(md.styled(where + "$ ", AttributedStyle.BOLD));
        long perChar = paceMillis == 0 ? 0 : Math.max(5, Math.min(40, paceMillis / Math.max(1, shown.length())));
        for (char c : shown.toCharArray()) {
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

    /** Types each command of a block, as an instructor would in front of the room. */
    private final class Typist implements BlockListener {
        @Override
        public void starting(Block block) {
            String where = block.target() instanceof Target.Node n ? "node" + n.number() : "";
            for (String line : block.code().stripTrailing().lines().toList()) {
                type(where, line);
            }
        }

        @Override
        public void finished(Block block) {
            pause();
        }
    }
}
