package dev.ssilab.tutor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cli.SsilabProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the tutor in a real terminal under tmux: keys in, screen out. */
class TutorTmuxTest {
    static final String COURSE = Path.of("src/test/resources/courses/good").toAbsolutePath().toString();

    @TempDir
    Path tmp;

    final TmuxTerminal tmux = new TmuxTerminal();

    @AfterEach
    void killServer() throws Exception {
        tmux.close();
    }

    @Test
    void runPassesTheCheckAdvancesAndResumesAfterRestart() throws Exception {
        start("t1");
        waitFor("t1", s -> s.contains("ssilab first 1/2>"), "the first prompt");
        tmux("send-keys", "-t", "t1", "sleep 60; echo finished", "Enter");
        waitFor("t1", s -> s.contains("ssilab first 1/2> sleep 60; echo finished"), "the typed command");
        Thread.sleep(300);
        tmux("send-keys", "-t", "t1", "C-c");
        String stopped = waitFor("t1", s -> s.contains("exit status 130"), "Ctrl-C to stop the command");
        assertTrue(stopped.lines().noneMatch(l -> l.strip().equals("finished")), stopped);
        tmux("send-keys", "-t", "t1", "run", "Enter");
        String screen = waitFor("t1", s -> s.contains("ssilab first 2/2>"), "the tutor to advance to step 2");
        assertTrue(screen.contains("Step done: Make a file"), screen);
        tmux("send-keys", "-t", "t1", "quit", "Enter");
        waitForExit("t1");

        start("t2");
        screen = waitFor("t2", s -> s.contains("ssilab first 2/2>"), "the resumed prompt at step 2");
        assertTrue(screen.contains("Welcome back"), screen);
        tmux("send-keys", "-t", "t2", "go", "Tab");
        screen = waitFor("t2", s -> s.contains("ssilab first 2/2> goto"), "tab completion of 'goto'");
        tmux("send-keys", "-t", "t2", "C-u", "quit", "Enter");
        waitForExit("t2");
    }

    @Test
    void noColorGivesPlainTextOnARealTerminal() throws Exception {
        start("c1", "NO_COLOR=1");
        String plain = waitForEscapes("c1", "ssilab first 1/2>");
        assertTrue(!plain.contains("\u001b[1m") && !plain.contains("\u001b[33m"), "no styles with NO_COLOR: " + plain);
        tmux("send-keys", "-t", "c1", "quit", "Enter");
        waitForExit("c1");
        start("c2");
        String styled = waitForEscapes("c2", "ssilab first 2/2>".replace("2/2", "1/2"));
        assertTrue(styled.contains("\u001b[1m"), "styles on a color terminal: " + styled);
        tmux("send-keys", "-t", "c2", "quit", "Enter");
        waitForExit("c2");
    }

    private String waitForEscapes(String session, String prompt) throws Exception {
        waitFor(session, s -> s.contains(prompt), "the prompt");
        return tmux.screen(session, true);
    }

    private void start(String session, String... extraEnv) throws Exception {
        tmux.start(session, new SsilabProcess(tmp), List.of(extraEnv), "--course", COURSE);
    }

    private String waitFor(String session, Predicate<String> ok, String what) throws Exception {
        return tmux.waitFor(session, ok, what);
    }

    private void waitForExit(String session) throws Exception {
        tmux.waitForExit(session);
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        return tmux.tmux(args);
    }
}
