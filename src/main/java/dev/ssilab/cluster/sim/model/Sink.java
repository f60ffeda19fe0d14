package dev.ssilab.cluster.sim.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Where a command's output goes: a terminal, a pipe buffer, a file, a FIFO or a device. */
public interface Sink {

    /** Writes text; throws {@link WriteError} when the target refuses it (a bad /proc/PID/goto, a broken pipe). */
    void write(String text) throws InterruptedException;

    /** Called once when the command that opened it is done (closes a FIFO's write end). */
    default void close() {}

    /** A write the target refused; the message is printed by the shell. */
    final class WriteError extends RuntimeException {
        WriteError(String message) {
            super(message);
        }
    }

    Sink NULL = text -> {};

    /**
     * A session's terminal. Simulated processes only queue text; the client's own thread copies it to
     * the client's stream ({@link #pump}), so a kill (a thread interrupt) never touches the client's
     * channel, and a slow client never blocks the cluster.
     */
    final class Terminal implements Sink {
        private static final String END = new String("END"); // identity marker queued when the session ends
        private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final NodeConsole console;
        private volatile boolean detached;

        /** @param console null for an exec session; else this session's output is also the node's console log */
        public Terminal(NodeConsole console) {
            this.console = console;
        }

        @Override
        public void write(String text) {
            if (console != null) {
                console.log(text);
            }
            writeRaw(text);
        }

        /** Records what the learner typed in the node's console log (the client already shows it). */
        public void echoInput(String line) {
            if (console != null) {
                console.log(line);
            }
        }

        /** Shows text on this terminal without logging it (the device already logged it). */
        public void writeRaw(String text) {
            if (!detached) {
                queue.add(text);
            }
        }

        /** Called by the session when its shell has ended, so {@link #pump} returns without polling. */
        public void sessionEnded() {
            queue.add(END);
        }

        /**
         * Copies queued output to {@code out} until {@code session} is done and everything is written;
         * then the terminal is detached and later writes (from background jobs) are dropped.
         *
         * @return false when the client went away (its stream failed)
         */
        public boolean pump(OutputStream out, Future<?> session) throws InterruptedException {
            boolean clientAlive = true;
            boolean ended = false;
            try {
                while (true) {
                    String s = queue.poll(100, TimeUnit.MILLISECONDS); // the end marker wakes it; the timeout only notices a gone client
                    if (s == END) {
                        s = null;
                        ended = true;
                    }
                    if (s == null) {
                        if (ended && queue.isEmpty()) {
                            return clientAlive;
                        }
                        if (session.isDone() && queue.isEmpty()) {
                            return clientAlive;
                        }
                        if (!clientAlive) {
                            return false;
                        }
                        continue;
                    }
                    if (clientAlive) {
                        try {
                            StringBuilder batch = new StringBuilder(s);
                            String more;
                            while ((more = queue.peek()) != null && more != END) {
                                batch.append(queue.poll());
                            }
                            out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        } catch (IOException e) {
                            clientAlive = false;
                        }
                    }
                }
            } finally {
                detached = true;
                queue.clear();
            }
        }
    }

    /** A pipe between two stages of a pipeline: the next stage reads everything written here. */
    /**
     * A {@link Buffer} is full: the whole line is abandoned (the shell that runs it says so once), as
     * no command's error handling can report into the buffer that is full.
     */
    final class Overflow extends RuntimeException {
        Overflow(String message) {
            super(message, null, false, false);
        }
    }

    final class Buffer implements Sink {
        /**
         * What one buffer (a pipe between stages, a {@code $( )}) may hold: the simulator runs a line's
         * stages one after the other, so all that a stage writes waits here for the next, where a
         * kernel's pipe would make the writer wait at 64 KB. As large as the root may be.
         */
        static final long CAPACITY = SharedFs.CAPACITY;
        private final StringBuilder text = new StringBuilder();

        @Override
        public synchronized void write(String s) {
            if (text.length() + (long) s.length() > CAPACITY) {
                throw new Overflow("a pipe or $( ) holds " + (CAPACITY >> 20) + " MB at most here, as the simulator runs"
                        + " a line's commands one after the other: a command that writes without end cannot feed one");
            }
            text.append(s);
        }

        public synchronized String text() {
            return text.toString();
        }
    }
}
