package dev.ssilab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ssilab console ID N}: connects this terminal to node N's console. On a terminal it goes raw,
 * as {@code screen} does, so single keys (dbdemo's 1-9 and q) and Ctrl-C reach the node; Ctrl-]
 * leaves. From a pipe, lines are sent as they are. When its node or cluster is stopped (ssi-rm,
 * ssi-stop) the manager's last line says so and it ends with status 0, so a console window closes;
 * when the manager dies it fails, and the window keeps the error on screen.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Connect this terminal to the shell on node N's console (Ctrl-] detaches; exit or Ctrl-D ends the shell).")
final class ConsoleCommand implements Callable<Integer> {
    /** Ctrl-], telnet's escape key: leaves the console without a word to the node. */
    static final int DETACH = 0x1d;

    @Mixin
    NodeAddress at = new NodeAddress();

    @Override
    public Integer call() throws IOException, InterruptedException {
        int cluster = at.clusterId();
        int n = at.node();
        // The keyboard decides, not stdout: the tutor relays a console's output through a pipe.
        if (stty("-g") == null) {
            ClusterCommand.clusters().console(cluster, n, System.in, System.out);
            return 0;
        }
        String before = stty("-g").strip();
        System.err.println("Connected to node " + n + " of cluster " + cluster + " (Ctrl-] leaves; exit or Ctrl-D ends its shell)");
        // Keys as pressed, no local echo, and Ctrl-C / Ctrl-Z as bytes for the node (not signals for us);
        // output processing stays on, so the node's "\n" still starts a new line here.
        stty("-icanon", "-echo", "-isig", "-iexten", "-ixon", "-icrnl", "min", "1", "time", "0");
        try {
            ClusterCommand.clusters().console(cluster, n, untilDetach(System.in), System.out, true, new SttySize());
        } finally {
            stty(before);
            // Off the node's prompt line, so an error (the manager died) starts a line of its own.
            System.err.println();
        }
        return 0;
    }

    /** Runs stty on our stdin; its output, or null when stdin is not a terminal. */
    static String stty(String... args) throws IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("stty"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return p.waitFor() == 0 ? out : null;
    }

    /** The keyboard, ending at the detach key. */
    private static InputStream untilDetach(InputStream keys) {
        return new dev.ssilab.state.KeyStream() {
            private boolean detached;

            @Override
            public int read() throws IOException {
                if (detached) {
                    return -1;
                }
                int c = keys.read();
                if (c == DETACH) {
                    detached = true;
                    return -1;
                }
                return c;
            }
        };
    }
}
