package dev.ssilab.tutor;

import dev.ssilab.state.Progress;
import dev.ssilab.state.SsilabPaths;
import dev.ssilab.step.CourseWorkspace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Map;

/** Starts the tutor on the terminal, or on plain lines when stdin or stdout is not a terminal. */
public final class TutorLauncher {
    private TutorLauncher() {}

    /** Runs the tutor to its end; returns the exit status. */
    public static int start(CourseWorkspace workspace, SsilabPaths paths, Map<String, String> env) throws IOException {
        Files.createDirectories(paths.stateHome());
        Progress.Loaded progress = Progress.load(paths.progressFile());
        boolean tty = System.console() != null;
        boolean color = colorWanted(tty, env);
        try (TutorIO io = tty ? TerminalIO.open(paths.historyFile(), color)
                : new PipeIO(System.in, new PrintStream(System.out, true, java.nio.charset.StandardCharsets.UTF_8), width(env))) {
            return new Tutor(workspace, io, paths.progressFile(), progress).loop();
        }
    }

    /** Styles only on a terminal, and not when NO_COLOR is set or TERM is dumb. */
    public static boolean colorWanted(boolean tty, Map<String, String> env) {
        return tty && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
    }

    /** Whether commands run by the tutor may read stdin (only when it is the learner's terminal). */
    public static boolean interactiveStdin() {
        return System.console() != null;
    }

    private static int width(Map<String, String> env) {
        String cols = env.get("COLUMNS");
        return cols != null && cols.matches("\\d{2,3}") ? Integer.parseInt(cols) : 80;
    }
}
