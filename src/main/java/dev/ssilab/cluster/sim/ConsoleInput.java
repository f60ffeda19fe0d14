package dev.ssilab.cluster.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lines a learner types into a console session, read by one daemon thread so the shell can wait
 * for input with a timeout (dbdemo) and so Ctrl-C (a line containing U+0003) reaches the running job.
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

    private void read(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.indexOf('\u0003') >= 0) {
                    onInterrupt.run();
                    continue;
                }
                if (line.indexOf('\u0004') >= 0) {
                    break; // Ctrl-D: end of input
                }
                lines.add(line);
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
