package dev.ssilab.tutor;

import dev.ssilab.cli.SsilabProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A private tmux server for a test: ssilab in a real terminal, keys in, screen out. Close kills it. */
final class TmuxTerminal implements AutoCloseable {
    private final String socket = "ssilab-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    /** Starts ssilab with these arguments in a new session, with the process's XDG folders and extra NAME=VALUE pairs. */
    void start(String session, SsilabProcess p, List<String> extraEnv, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env"));
        for (Map.Entry<String, String> e : p.environment().entrySet()) {
            cmd.add(e.getKey() + "=" + e.getValue());
        }
        cmd.add("TERM=xterm-256color");
        cmd.addAll(extraEnv);
        cmd.addAll(SsilabProcess.command(args));
        StringBuilder line = new StringBuilder();
        for (String c : cmd) {
            line.append('\'').append(c.replace("'", "'\\''")).append("' ");
        }
        tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "45", line.toString());
    }

    void keys(String session, String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** Types a line and Enter, as a learner does. */
    void type(String session, String line) throws Exception {
        keys(session, "-l", line);
        keys(session, "Enter");
    }

    String screen(String session, boolean escapes) throws Exception {
        return escapes ? tmux("capture-pane", "-p", "-e", "-t", session, "-S", "-2000")
                : tmux("capture-pane", "-p", "-t", session, "-S", "-2000");
    }

    String waitFor(String session, Predicate<String> ok, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = screen(session, false);
            if (ok.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; screen:\n" + screen);
    }

    /**
     * Waits for the program started in {@code session} to exit: its window (the session's first) is
     * gone. The session itself may live on with the node console windows ssi-start opened in it.
     */
    void waitForExit(String session) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Process p = new ProcessBuilder("tmux", "-L", socket, "list-windows", "-t", session, "-F", "#{window_index}")
                    .redirectErrorStream(true).start();
            String windows = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 || windows.lines().noneMatch(w -> w.strip().equals("0"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the program in " + session + " did not exit; screen:\n" + screen(session + ":0", false));
    }

    String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws Exception {
        tmux("kill-server");
    }
}
