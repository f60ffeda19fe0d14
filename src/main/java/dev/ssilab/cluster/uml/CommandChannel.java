package dev.ssilab.cluster.uml;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One console line of a node that carries commands: the stream command lines are written to, and the
 * reader of what the node's shell on that line prints. Line 0 is the kernel's stdin/stdout; lines 1..
 * are pairs of host FIFOs that the kernel gets as extra file descriptors ({@code conK=fd:A,fd:B}).
 */
final class CommandChannel {
    final int line;
    final OutputStream in;
    final NodeConsole out;
    private final List<FileChannel> fifos;

    CommandChannel(int line, OutputStream in, NodeConsole out, List<FileChannel> fifos) {
        this.line = line;
        this.in = in;
        this.out = out;
        this.fifos = fifos;
    }

    /** The FIFO pair of line K in {@code dir}: lineK.in (node reads) and lineK.out (node writes). */
    static Path[] fifoPair(Path dir, int line) {
        return new Path[] {dir.resolve("line" + line + ".in"), dir.resolve("line" + line + ".out")};
    }

    /** Makes the FIFO pairs for lines 1..count, replacing stale ones. */
    static void makeFifos(Path dir, int count) throws IOException {
        List<String> argv = new ArrayList<>(List.of("mkfifo", "-m", "600"));
        for (int k = 1; k <= count; k++) {
            for (Path p : fifoPair(dir, k)) {
                Files.deleteIfExists(p);
                argv.add(p.toString());
            }
        }
        HostCommand.Result r = HostCommand.run(argv, null, 10);
        if (!r.ok()) {
            throw new IOException("mkfifo failed: " + r.output().strip());
        }
    }

    /**
     * Opens line K's FIFOs read-write: such an open never waits for the other side, and the kernel's
     * end is opened the same way, so neither start-up order can block.
     */
    static CommandChannel open(int node, int line, Path dir, String threadName) throws IOException {
        Path[] pair = fifoPair(dir, line);
        FileChannel toNode = FileChannel.open(pair[0], StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel fromNode = FileChannel.open(pair[1], StandardOpenOption.READ, StandardOpenOption.WRITE);
        // not logged: console.log is what the node's console (con0) printed
        NodeConsole reader = new NodeConsole(node, Channels.newInputStream(fromNode), null);
        Thread t = new Thread(reader, threadName);
        t.setDaemon(true);
        t.start();
        return new CommandChannel(line, Channels.newOutputStream(toNode), reader, List.of(toNode, fromNode));
    }

    /** Closes the FIFOs: a reader blocked on them returns (the kernel is gone, nothing else will). */
    void close() {
        for (FileChannel c : fifos) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
