package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.uml.KernelStore;
import dev.ssilab.state.SsilabPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inside tmux, ssi-start opens one window per node with that node's console, as the HOWTO's xterms;
 * a window closes when its node or cluster stops, and a window name is never there twice.
 */
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
        learner();
        inShell("cluster", "start", "--backend", "sim", "2");
        String windows = waitFor(() -> tmux("list-windows", "-a", "-F", "#W"),
                s -> s.contains("ssi-10001-1") && s.contains("ssi-10001-2"), "a window per node");
        assertTrue(Files.readString(tmp.resolve("notes.txt")).contains("tmux windows ssi-10001-N"), windows);
        waitFor(() -> tmux("capture-pane", "-p", "-t", "learner:ssi-10001-2"), s -> s.contains("node2"), "node 2's console prompt");
    }

    /** The issue's walk: windows close with their node or cluster, and a name is never opened twice. */
    @Test
    void consoleWindowsCloseWithTheirNodesAndAreNeverDuplicated() throws Exception {
        learner();
        // What an earlier cluster 10001 could leave behind: a window that still shows its console's error.
        tmux("new-window", "-d", "-n", "ssi-10001-1", "sleep 600");
        windowsAre(List.of("ssi-10001-1"), "the leftover window");
        inShell("cluster", "start", "--backend", "sim", "3");
        windowsAre(List.of("ssi-10001-1", "ssi-10001-2", "ssi-10001-3"), "a window per node");
        inShell("cluster", "rm", "10001", "2");
        windowsAre(List.of("ssi-10001-1", "ssi-10001-3"), "node 2's window closed by ssi-rm");
        inShell("cluster", "add", "10001", "2");
        windowsAre(List.of("ssi-10001-1", "ssi-10001-2", "ssi-10001-3"), "node 2's window back, once");
        waitFor(() -> tmux("capture-pane", "-p", "-t", "learner:ssi-10001-2"), s -> s.contains("node2"), "node 2's new console");
        inShell("cluster", "stop", "10001");
        windowsAre(List.of(), "every console window closed by ssi-stop");
        inShell("cluster", "start", "--backend", "sim", "3");
        windowsAre(List.of("ssi-10001-1", "ssi-10001-2", "ssi-10001-3"), "one window per node of the new cluster");
    }

    /**
     * Without ssi-rm/ssi-stop closing windows (they run outside tmux here), the console itself ends:
     * the manager's last line says why and the status is 0, so a window running it would close.
     */
    @Test
    void aConsoleEndsQuietlyWhenItsNodeOrClusterIsStopped() throws Exception {
        learner();
        inShell("cluster", "start", "--backend", "sim", "3");
        windowsAre(List.of("ssi-10001-1", "ssi-10001-2", "ssi-10001-3"), "a window per node");
        typeInShell("console", "10001", "2");
        String attached = waitFor(() -> tmux("capture-pane", "-p", "-t", "learner:0"),
                s -> s.contains("[root@node2 ~]#"), "node 2's console in the learner's window");
        assertTrue(attached.contains("Ctrl-] leaves"), attached);
        SsilabProcess outside = new SsilabProcess(tmp);
        assertEquals(0, outside.run("", "cluster", "rm", "10001", "2").exit());
        String ended = waitFor(() -> tmux("capture-pane", "-p", "-t", "learner:0"),
                s -> ended().matcher(s).find(), "the console to end after ssi-rm");
        assertTrue(ended.contains("node 2 of cluster 10001 stopped"), ended);
        assertTrue(ended.contains("DONE-" + marker + "-0"), ended);
        windowsAre(List.of("ssi-10001-1", "ssi-10001-3"), "node 2's window closed by its console's end");

        typeInShell("console", "10001", "3");
        waitFor(() -> tmux("capture-pane", "-p", "-t", "learner:0"), s -> s.contains("[root@node3 ~]#"), "node 3's console");
        assertEquals(0, outside.run("", "cluster", "stop", "10001").exit());
        String stopped = waitFor(() -> tmux("capture-pane", "-p", "-t", "learner:0"),
                s -> ended().matcher(s).find(), "the console to end after ssi-stop");
        assertTrue(stopped.contains("cluster 10001 stopped"), stopped);
        assertTrue(stopped.contains("DONE-" + marker + "-0"), stopped);
        assertFalse(stopped.contains("without answering"), stopped);
        windowsAre(List.of(), "every window closed by its console's end");
    }

    /** A manager that dies is an error the learner must see: the window stays until a key. */
    @Test
    void aConsoleWhoseManagerDiedKeepsItsWindowOpen() throws Exception {
        learner();
        inShell("cluster", "start", "--backend", "sim", "2");
        waitFor(() -> tmux("capture-pane", "-p", "-t", "learner:ssi-10001-1"), s -> s.contains("node1"), "node 1's console prompt");
        Properties state = new Properties();
        try (var in = Files.newInputStream(tmp.resolve("state/ssilab/clusters/10001/state.properties"))) {
            state.load(in);
        }
        ProcessHandle manager = ProcessHandle.of(Long.parseLong(state.getProperty("pid"))).orElseThrow();
        manager.destroyForcibly();
        manager.onExit().get(30, TimeUnit.SECONDS);
        String shown = waitFor(() -> tmux("capture-pane", "-p", "-t", "learner:ssi-10001-1"),
                s -> s.contains("press Enter to close"), "the error to stay on node 1's window");
        assertTrue(shown.contains("ended the connection without answering"), shown);
        Thread.sleep(1000);
        windowsAre(List.of("ssi-10001-1", "ssi-10001-2"), "both windows still open");
        inShell("cluster", "stop", "10001");
        windowsAre(List.of(), "ssi-stop of the stale cluster closes them");
    }

    /** The same on real UML nodes (slow: boots kernels), whose consoles the manager ends on ssi-stop. */
    @Test
    void umlConsoleWindowsCloseWithTheirNodeAndCluster() throws Exception {
        Path kernel = new KernelStore(SsilabPaths.fromEnvironment(System.getenv())).current()
                .orElseThrow(() -> new AssertionError("no UML kernel installed on this machine: run 'ssilab kernel install'"));
        SsilabProcess outside = new SsilabProcess(tmp);
        assertEquals(0, outside.run("", "rootfs", "build").exit());
        learner();
        inShell("cluster", "start", "--backend", "uml", "-k", kernel.toString(), "2");
        windowsAre(List.of("ssi-10001-1", "ssi-10001-2"), "a window per node");
        waitFor(() -> tmux("capture-pane", "-p", "-t", "learner:ssi-10001-2"), s -> s.contains("node2:/#"), "node 2's console prompt");
        inShell("cluster", "rm", "10001", "2");
        windowsAre(List.of("ssi-10001-1"), "node 2's window closed by ssi-rm");
        // Outside tmux ssi-stop closes no window itself: node 1's console ends on the manager's word.
        assertEquals(0, outside.run("", "cluster", "stop", "10001").exit());
        windowsAre(List.of(), "node 1's window closed by its console's end");
    }

    /** A private tmux server with one session, "learner", running a plain shell in the test's folder. */
    private void learner() throws Exception {
        if (!Files.exists(tmp.resolve("root_fs"))) {
            Files.createFile(tmp.resolve("root_fs")); // the simulator only needs it to exist
        }
        tmux("new-session", "-d", "-s", "learner", "-x", "120", "-y", "30", "bash --norc --noprofile");
        tmux("send-keys", "-t", "learner:0", "cd '" + tmp + "' && clear", "Enter");
    }

    private int marker;

    /**
     * Types ssilab with these arguments into the learner's shell (inside tmux), then DONE-marker-status;
     * its stderr goes to notes.txt unless it is a console (which shows its detach key there).
     */
    private void typeInShell(String... args) throws Exception {
        marker++;
        StringBuilder line = new StringBuilder("env");
        new SsilabProcess(tmp).environment().forEach((k, v) -> line.append(' ').append(k).append("='").append(v).append('\''));
        for (String word : SsilabProcess.command(args)) {
            line.append(" '").append(word).append('\'');
        }
        line.append(args[0].equals("console") ? "" : " 2>>notes.txt").append("; echo DONE-").append(marker).append("-$?");
        tmux("send-keys", "-t", "learner:0", "-l", line.toString());
        tmux("send-keys", "-t", "learner:0", "Enter");
    }

    /** As typeInShell, and waits for it to succeed. */
    private void inShell(String... args) throws Exception {
        typeInShell(args);
        String screen = waitFor(() -> tmux("capture-pane", "-p", "-J", "-t", "learner:0", "-S", "-200"), s -> ended().matcher(s).find(),
                "ssilab " + String.join(" ", args));
        assertTrue(screen.contains("DONE-" + marker + "-0"), screen + "\nnotes:\n" + Files.readString(tmp.resolve("notes.txt")));
    }

    /** The last typed command's DONE line (the typed line itself shows "$?", not a number). */
    private java.util.regex.Pattern ended() {
        return java.util.regex.Pattern.compile("DONE-" + marker + "-[0-9]");
    }

    /** Waits until the console windows (all but the learner's shell) are exactly these, each once. */
    private void windowsAre(List<String> expected, String what) throws Exception {
        waitFor(() -> tmux("list-windows", "-a", "-F", "#W"),
                s -> s.lines().filter(w -> w.startsWith("ssi-")).sorted().toList().equals(expected), what + " " + expected);
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
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // The server's environment becomes the learner's shell's: no X display (xterms would win), no
        // outer tmux, no SSILAB_ settings of whoever runs the tests.
        pb.environment().keySet().removeIf(k -> k.startsWith("SSILAB_") || k.equals("TMUX") || k.equals("DISPLAY"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
