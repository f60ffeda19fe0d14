package dev.ssilab.cluster.uml;

import dev.ssilab.state.UserError;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * The learner's consoles on the nodes of one {@link UmlBackend}: a node's real console (its pty) for a
 * raw terminal, a line-by-line shell for a client that is not a terminal, and the console's size,
 * which UML does not pass on by itself.
 */
final class UmlConsoles {
    private final IntFunction<UmlNode> upNode;
    /** Resizes run one after the other, off the learner's keys: each is a command on the node. */
    private final ExecutorService resizes = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "uml-console-size");
        t.setDaemon(true);
        return t;
    });

    /** @param upNode node N if it is up, else a {@link UserError} saying it is not */
    UmlConsoles(IntFunction<UmlNode> upNode) {
        this.upNode = upNode;
    }

    /**
     * For a client that is not a terminal (a script piping commands in): a line-by-line shell on node N
     * (see {@link LineConsole}), until {@code in} ends or "exit".
     */
    void lines(int n, InputStream in, OutputStream out) {
        new LineConsole(upNode.apply(n), out).run(in);
    }

    /**
     * A raw terminal gets the node's real console (its pty), key by key, until the learner detaches
     * ({@code in} ends) or the node stops; a client that is not a terminal gets {@link LineConsole}.
     */
    void attach(int n, InputStream in, OutputStream out, boolean raw) {
        UmlNode node = upNode.apply(n);
        if (!raw || node.console == null) {
            lines(n, in, out);
            return;
        }
        new ConsoleAttachment(node.console, in, out).run();
    }

    /**
     * Sets the size of node N's console inside the node (stty on tty0, which signals the program in
     * the foreground to redraw): UML does not pass a host pty's size changes on to its line. It waits
     * (up to 3 s) for the node to take the size, because the caller reads the learner's keys and sizes
     * from one stream: a command typed right after attaching, or after a resize, then runs at the new
     * size (a first {@code stty size} printed 24 80 when the keys overtook the size).
     */
    void resize(int n, int rows, int cols) {
        UmlNode node;
        try {
            node = upNode.apply(n);
        } catch (UserError e) {
            return;
        }
        Future<?> sized = resizes.submit(() -> {
            try {
                node.exec("stty -F /dev/tty0 rows " + rows + " cols " + cols, Duration.ofSeconds(5), OutputStream.nullOutputStream());
            } catch (RuntimeException e) {
                // the node went away: no console to size
            }
        });
        try {
            sized.get(3, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // a slow node takes the size later; the keys go on meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sizing consoles: the cluster is stopped. */
    void close() {
        resizes.shutdownNow();
    }
}
