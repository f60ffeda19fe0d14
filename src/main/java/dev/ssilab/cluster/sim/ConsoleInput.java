package dev.ssilab.cluster.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lines a learner types into a console session, read by one daemon thread so the shell can wait
 * for input with a timeout (dbdemo) and so Ctrl-C (U+0003) reaches the running job at once.
 */
final class ConsoleInput {
    private static final String EOF = new String("EOF"); // identity marker, never equal to a typed line
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile Runnable onInterrupt = () -> {};
    private volatile boolean ended;

    ConsoleInput(InputStream in, String threadName) {
        Thread t = new Thread(() -> read(in), threadName);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Splits the input into lines at \n, \r or \r\n (a terminal in raw mode sends \r), applies
     * backspaces, acts on Ctrl-C (U+0003) at once, and ends at Ctrl-D (U+0004) on an empty line.
     */
    private void read(InputStream in) {
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            boolean lastWasCr = false;
            int ch;
            while ((ch = r.read()) >= 0) {
                if (ch == '\n' && lastWasCr) {
                    lastWasCr = false;
                    continue;
                }
                lastWasCr = ch == '\r';
                if (ch == '\n' || ch == '\r') {
                    lines.add(line.toString());
                    line.setLength(0);
                } else if (ch == 3) {
                    line.setLength(0);
                    onInterrupt.run();
                } else if (ch == 4) {
                    if (line.length() == 0) {
                        break;
                    }
                } else if (ch == 8 || ch == 127) {
                    if (line.length() > 0) {
                        line.setLength(line.length() - 1);
                    }
                } else {
                    line.append((char) ch);
                }
            }
            if (line.length() > 0) {
                lines.add(line.toString()); // a last line without a newline still counts
            }
        } catch (IOException e) {
            // the client went away: same as end of input
        }
        lines.add(EOF);
    }

    /** Sets what Ctrl-C does and returns what it did before (a nested bash-ll restores it). */
    Runnable onInterrupt(Runnable r) {
        Runnable old = onInterrupt;
        onInterrupt = r;
        return old;
    }

    /** The next line, or null at end of input. */
    String take() throws InterruptedException {
        if (ended) {
            return null;
        }
        String s = lines.take();
        if (s == EOF) {
            ended = true;
            return null;
        }
        return s;
    }

    /** The next line within the wait; "" is a typed empty line; null means none yet; check {@link #ended()}. */
    String poll(long millis) throws InterruptedException {
        if (ended) {
            return null;
        }
        String s = lines.poll(millis, TimeUnit.MILLISECONDS);
        if (s == EOF) {
            ended = true;
            return null;
        }
        return s;
    }

    boolean ended() {
        return ended;
    }
}
