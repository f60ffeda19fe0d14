package dev.ssilab.artifact;

import java.io.PrintStream;
import java.util.Map;

/**
 * Reports how far one long transfer (download, extraction, compression) has got.
 *
 * <p>Services take a {@link Factory}; the CLI passes a terminal bar on a TTY and {@link Factory#NONE}
 * in pipes, so the same code is quiet in scripts and tests.
 */
public interface Progress extends AutoCloseable {

    /** {@code done} bytes of the total are finished (absolute, not a delta). */
    void update(long done);

    /** The transfer ended (well or not): finish the line. */
    @Override
    void close();

    /** Starts one {@link Progress} per transfer. */
    @FunctionalInterface
    interface Factory {
        /** {@code total} is -1 when unknown; {@code already} bytes were done before (a resumed download). */
        Progress start(String label, long total, long already);

        Factory NONE = (label, total, already) -> new Progress() {
            @Override
            public void update(long done) {}

            @Override
            public void close() {}
        };

        /** A bar on {@code err} when it is a terminal that can redraw a line, else nothing. */
        static Factory forTerminal(boolean isTerminal, Map<String, String> env, PrintStream err) {
            // SSILAB_PROGRESS=1: the tutor relays this command's output to the learner's terminal
            boolean relayed = "1".equals(env.get("SSILAB_PROGRESS"));
            if (!(isTerminal || relayed) || "dumb".equals(env.get("TERM"))) {
                return NONE;
            }
            return (label, total, already) -> new ProgressBar(label, total, already, err, System::nanoTime);
        }
    }
}
