package dev.ssilab.tutor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cli.SsilabProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the tutor in a real terminal under tmux: keys in, screen out. */
class TutorTmuxTest {
    static final String COURSE = Path.of("src/test/resources/courses/good").toAbsolutePath().toString();

    @TempDir
    Path tmp;

    final String socket = "ssilab-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @AfterEach
    void killServer() throws Exception {
        tmux("kill-server");
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
        return tmux("capture-pane", "-p", "-e", "-t", session, "-S", "-200");
    }

    private void start(String session, String... extraEnv) throws Exception {
        SsilabProcess p = new SsilabProcess(tmp);
        List<String> cmd = new ArrayList<>(List.of("env"));
        for (Map.Entry<String, String> e : p.environment().entrySet()) {
            cmd.add(e.getKey() + "=" + e.getValue());
        }
        cmd.add("TERM=xterm-256color");
        cmd.addAll(List.of(extraEnv));
        cmd.addAll(SsilabProcess.command("--course", COURSE));
        StringBuilder line = new StringBuilder();
        for (String c : cmd) {
            line.append('\'').append(c.replace("'", "'\\''")).append("' ");
        }
        tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "45", line.toString());
    }

    private String waitFor(String session, Predicate<String> ok, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = tmux("capture-pane", "-p", "-t", session, "-S", "-200");
            if (ok.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; screen:\n" + screen);
    }

    private void waitForExit(String session) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Process p = new ProcessBuilder("tmux", "-L", socket, "has-session", "-t", session).start();
            if (p.waitFor() != 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the tutor in " + session + " did not exit after quit");
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
