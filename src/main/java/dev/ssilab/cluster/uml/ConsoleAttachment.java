package dev.ssilab.cluster.uml;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One learner attached to a node's console, like {@code screen /dev/pts/N}: the keys they type go to
 * the node as they are (its tty echoes, edits lines and turns Ctrl-C into SIGINT), and what the node
 * prints comes back. Ends when the learner's input ends (they detached), the shell on the console ends
 * (exit, Ctrl-D: a new one starts for the next attachment) or the node's console closed.
 */
final class ConsoleAttachment {
    private final PtsConsole console;
    private final InputStream keys;
    private final OutputStream screen;

    ConsoleAttachment(PtsConsole console, InputStream keys, OutputStream screen) {
        this.console = console;
        this.keys = keys;
        this.screen = screen;
    }

    void run() {
        Thread typing = new Thread(this::type, "console-keys");
        typing.setDaemon(true);
        int logouts = console.logouts();
        try {
            console.attach(screen);
            typing.start();
            // Any end finishes the attachment: a reader blocked on the learner's keys is left to
            // end when the manager closes their connection.
            while (typing.isAlive() && !console.ended() && console.logouts() == logouts) {
                console.awaitEnd(100);
            }
        } catch (IOException e) {
            // the learner's side went away while the recent output was sent
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            console.detach(screen);
        }
    }

    private void type() {
        byte[] buf = new byte[1024];
        try {
            int n;
            while ((n = keys.read(buf)) > 0) {
                console.type(buf, 0, n);
            }
        } catch (IOException e) {
            // the learner detached, or the node's console closed under the keys
        }
    }
}
