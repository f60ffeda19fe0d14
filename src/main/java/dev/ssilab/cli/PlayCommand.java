package dev.ssilab.cli;

import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.UserError;
import dev.ssilab.step.CourseWorkspace;
import dev.ssilab.tutor.Player;
import dev.ssilab.tutor.TutorLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ssilab play}: auto-play for workshop demos. */
@Command(name = "play", mixinStandardHelpOptions = true,
        description = "Play lessons hands-free for a demo: prose, each command typed and run, then its check. Stops at the first failure.")
final class PlayCommand implements Callable<Integer> {
    @Mixin
    CourseOptions options = new CourseOptions();

    @Option(names = "--all", description = "Play the whole course.")
    boolean all;

    @Option(names = "--pace", paramLabel = "SECONDS", defaultValue = "1.5",
            description = "Pause after prose and commands, in seconds (default: ${DEFAULT-VALUE}; 0 for none).")
    double pace;

    @Parameters(paramLabel = "LESSON", description = "Lesson ids to play, in course order.")
    List<String> lessons = new ArrayList<>();

    @Override
    public Integer call() {
        // Written so that NaN fails too: every comparison with NaN is false.
        if (!(pace >= 0 && pace <= 60)) {
            throw new UserError("--pace " + pace + " is out of range (use 0 to 60 seconds)");
        }
        if (!all && lessons.isEmpty()) {
            throw new UserError("nothing to play: name lessons (see 'ssilab lint' for ids) or pass --all");
        }
        SsilabPaths paths = Workspaces.paths();
        Path workdir = options.workdir != null ? options.workdir(paths) : Workspaces.freshWorkdir(paths, "play");
        try (CourseWorkspace ws = Workspaces.open(options, workdir, false)) {
            return play(ws);
        }
    }

    private int play(CourseWorkspace ws) {
        List<String> ids = all ? ws.course().ids() : lessons;
        for (String id : ids) {
            if (ws.course().lesson(id).isEmpty()) {
                throw new UserError("no lesson '" + id + "' in " + ws.course().dir() + " (known: " + String.join(", ", ws.course().ids()) + ")");
            }
        }
        boolean color = TutorLauncher.colorWanted(System.console() != null, System.getenv());
        return new Player(ws, System.out, 100, color, pace).play(ids);
    }
}
