package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inside tmux, ssi-start opens one window per node with that node's console, as the HOWTO's xterms. */
class ConsoleWindowsTest {
    @TempDir
    Path tmp;

    final String socket = "ssilab-consoles-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @AfterEach
    void cleanUp() throws Exception {
        new SsilabProcess(tmp).run("", "cluster", "stop", "10001");
        tmux("kill-server");
    }

    @Test
    void ssiStartInsideTmuxOpensAConsoleWindowPerNode() throws Exception {
        Files.createFile(tmp.resolve("root_fs"));
        tmux("new-session", "-d", "-s", "learner", "-x", "120", "-y", "30", "bash --norc --noprofile");
        StringBuilder line = new StringBuilder("cd '" + tmp + "' && env");
        new SsilabProcess(tmp).environment().forEach((k, v) -> line.append(' ').append(k).append("='").append(v).append('\''));
        for (String word : SsilabProcess.command("cluster", "start", "--backend", "sim", "2")) {
            line.append(" '").append(word).append('\'');
        }
        line.append(" 2>notes.txt; echo START-DONE-$?");
        tmux("send-keys", "-t", "learner", line.toString(), "Enter");
        waitFor(() -> tmux("capture-pane", "-p", "-t", "learner"), s -> s.contains("START-DONE-0"), "ssi-start to finish");
        String windows = waitFor(() -> tmux("list-windows", "-a", "-F", "#W"),
                s -> s.contains("ssi-10001-1") && s.contains("ssi-10001-2"), "a window per node");
        assertTrue(Files.readString(tmp.resolve("notes.txt")).contains("tmux windows ssi-10001-N"), windows);
        waitFor(() -> tmux("capture-pane", "-p", "-t", "learner:ssi-10001-2"), s -> s.contains("node2"), "node 2's console prompt");
    }

    private interface Screen {
        String read() throws Exception;
    }

    private static String waitFor(Screen screen, Predicate<String> ok, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String s = "";
        while (System.nanoTime() < deadline) {
            s = screen.read();
            if (ok.test(s)) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; last:\n" + s);
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
