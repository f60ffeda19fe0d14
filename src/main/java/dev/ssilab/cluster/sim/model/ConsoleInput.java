package dev.ssilab.cluster.sim.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a learner types into a console session, read by one daemon thread so the shell can wait for
 * input with a timeout (dbdemo) and so Ctrl-C (U+0003) reaches the running job at once.
 *
 * <p>Two kinds of client. A cooked one (a pipe, a test, a terminal in line mode) sends whole lines
 * that its own terminal echoed. A raw one (a terminal in raw mode, as {@code ssilab console} puts it)
 * sends every key as it is pressed: this class is then the node's line discipline, as a tty's is:
 * it echoes what the shell reads, applies backspace and Ctrl-D, and hands single keys, unechoed, to a
 * program that asks for keys ({@link #pollKey}), which is how dbdemo moves on a key without Enter.
 */
public final class ConsoleInput {
    private static final Object EOF = new Object();
    private static final Object INTERRUPT = new Object();
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Consumer<String> echo; // null for a cooked client
    private volatile Runnable onInterrupt = () -> {};
    private volatile boolean ended;

    /** A cooked client: input comes as lines its terminal already echoed. */
    public ConsoleInput(InputStream in, String threadName) {
        this(in, threadName, null);
    }

    /** @param echo where echoed keys go for a raw client (the session's terminal); null for a cooked one */
    public ConsoleInput(InputStream in, String threadName, Consumer<String> echo) {
        this.echo = echo;
        Thread t = new Thread(() -> {
            if (echo == null) {
                readLines(in);
            } else {
                readKeys(in);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Cooked: splits the input into lines at \n, \r or \r\n, applies backspaces, acts on Ctrl-C at once,
     * and ends at Ctrl-D on an empty line.
     */
    private void readLines(InputStream in) {
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
                    queue.add(line.toString());
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
                queue.add(line.toString()); // a last line without a newline still counts
            }
        } catch (IOException e) {
            // the client went away: same as end of input
        }
        queue.add(EOF);
    }

    /** Raw: every key goes to the queue as it comes; Ctrl-C acts at once (and drops a half-typed line). */
    private void readKeys(InputStream in) {
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int ch;
            while ((ch = r.read()) >= 0) {
                if (ch == 3) {
                    queue.add(INTERRUPT);
                    onInterrupt.run();
                } else {
                    queue.add((char) ch);
                }
            }
        } catch (IOException e) {
            // the client went away: same as end of input
        }
        queue.add(EOF);
    }

    /** Sets what Ctrl-C does and returns what it did before (a nested bash-ll restores it). */
    public Runnable onInterrupt(Runnable r) {
        Runnable old = onInterrupt;
        onInterrupt = r;
        return old;
    }

    /** The next line, or null at end of input. */
    public String take() throws InterruptedException {
        return line(Long.MAX_VALUE);
    }

    /** The next line within the wait; "" is a typed empty line; null means none yet; check {@link #ended()}. */
    String poll(long millis) throws InterruptedException {
        return line(millis);
    }

    /**
     * The next key within the wait, for a program that reacts to single keys: a one-character string,
     * "" for Enter, null for none yet (check {@link #ended()}). A cooked client sends lines, so there a
     * line stands for its key ("3", or "" for Enter).
     */
    public String pollKey(long millis) throws InterruptedException {
        if (echo == null) {
            return poll(millis);
        }
        while (!ended) {
            Object o = queue.poll(millis, TimeUnit.MILLISECONDS);
            if (o == null) {
                return null;
            }
            if (o == EOF) {
                ended = true;
                return null;
            }
            if (o instanceof Character c) {
                return c == '\r' || c == '\n' ? "" : c.toString();
            }
            // an interrupt was acted on when it came
        }
        return null;
    }

    private final StringBuilder partial = new StringBuilder();
    private boolean escape;

    private String line(long millis) throws InterruptedException {
        if (ended) {
            return null;
        }
        long deadline = millis == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            Object o = left == Long.MAX_VALUE ? queue.take() : queue.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (o == null) {
                return null;
            }
            if (o == EOF) {
                ended = true;
                return null;
            }
            if (o instanceof String s) {
                return s;
            }
            String done = discipline(o);
            if (done != null) {
                return done;
            }
        }
    }

    /** One key through the line discipline of a raw client: a finished line, or null while typing goes on. */
    private String discipline(Object key) {
        if (key == INTERRUPT) {
            partial.setLength(0);
            echo.accept("^C\n");
            return "";
        }
        char c = (Character) key;
        if (escape) {
            // the rest of an arrow or function key (ESC [ A, ESC O P): no line editing here, so it is dropped
            escape = c == '[' || c == 'O' || (c >= '0' && c <= '9') || c == ';';
            return null;
        }
        switch (c) {
            case '\r', '\n' -> {
                echo.accept("\n");
                String line = partial.toString();
                partial.setLength(0);
                return line;
            }
            case 4 -> {
                if (partial.length() == 0) {
                    queue.add(EOF); // Ctrl-D on an empty line: end of input, as a tty has it
                }
                return null;
            }
            case 8, 127 -> {
                if (partial.length() > 0) {
                    partial.setLength(partial.length() - 1);
                    echo.accept("\b \b");
                }
                return null;
            }
            case 21 -> { // Ctrl-U: kill the line
                echo.accept("\b \b".repeat(partial.length()));
                partial.setLength(0);
                return null;
            }
            case 27 -> {
                escape = true;
                return null;
            }
            default -> {
                if (c >= ' ') {
                    partial.append(c);
                    echo.accept(String.valueOf(c));
                }
                return null;
            }
        }
    }

    public boolean ended() {
        return ended;
    }
}
