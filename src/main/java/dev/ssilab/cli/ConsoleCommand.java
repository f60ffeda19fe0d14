package dev.ssilab.cli;

import dev.ssilab.cluster.ClusterArgs;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ssilab console ID N}: connects this terminal to node N's console. On a terminal it goes raw,
 * as {@code screen} does, so single keys (dbdemo's 1-9 and q) and Ctrl-C reach the node; Ctrl-]
 * leaves. From a pipe, lines are sent as they are.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Connect this terminal to the shell on node N's console (Ctrl-] detaches; exit or Ctrl-D ends the shell).")
final class ConsoleCommand implements Callable<Integer> {
    /** Ctrl-], telnet's escape key: leaves the console without a word to the node. */
    static final int DETACH = 0x1d;

    @Parameters(index = "0", paramLabel = "ID", description = "Cluster id (see ssi-ls).")
    String id;

    @Parameters(index = "1", paramLabel = "N", description = "Node number.")
    String node;

    @Override
    public Integer call() throws IOException {
        int cluster = ClusterArgs.clusterId(id);
        int n = ClusterArgs.node(node);
        if (System.console() == null) {
            ClusterCommand.clusters().console(cluster, n, System.in, System.out);
            return 0;
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Attributes before = terminal.getAttributes();
            System.err.println("Connected to node " + n + " of cluster " + cluster + " (Ctrl-] leaves; exit or Ctrl-D ends its shell)");
            terminal.setAttributes(raw(before));
            try {
                ClusterCommand.clusters().console(cluster, n, untilDetach(terminal.input()), System.out, true);
            } finally {
                terminal.setAttributes(before);
            }
            System.err.println();
        }
        return 0;
    }

    /**
     * Keys as pressed, no local echo, and Ctrl-C / Ctrl-Z as bytes for the node (not signals for us);
     * output processing stays on so the node's "\n" still starts a new line here.
     */
    private static Attributes raw(Attributes before) {
        Attributes raw = new Attributes(before);
        raw.setLocalFlags(EnumSet.of(Attributes.LocalFlag.ICANON, Attributes.LocalFlag.ECHO,
                Attributes.LocalFlag.IEXTEN, Attributes.LocalFlag.ISIG), false);
        raw.setInputFlags(EnumSet.of(Attributes.InputFlag.IXON, Attributes.InputFlag.ICRNL, Attributes.InputFlag.INLCR), false);
        raw.setControlChar(Attributes.ControlChar.VMIN, 1);
        raw.setControlChar(Attributes.ControlChar.VTIME, 0);
        return raw;
    }

    /** The keyboard, ending at the detach key. */
    private static InputStream untilDetach(InputStream keys) {
        return new InputStream() {
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

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
    }
}
