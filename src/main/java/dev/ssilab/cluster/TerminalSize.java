package dev.ssilab.cluster;

import java.util.Optional;

/** The size of the learner's terminal, for a node console that should fit it. */
public interface TerminalSize {

    /** {rows, cols}, or empty when it cannot be told. */
    Optional<int[]> current();

    /** Runs {@code action} whenever the size changes (the terminal's SIGWINCH). */
    void onChange(Runnable action);
}
