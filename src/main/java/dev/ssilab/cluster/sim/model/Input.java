package dev.ssilab.cluster.sim.model;

/** A command's standard input: a file, a FIFO, the previous stage of a pipeline, or nothing. */
@FunctionalInterface
public interface Input {
    /** Everything until end of file (blocks on a FIFO until its writers are done). */
    String readAll() throws InterruptedException;

    /** No input: a session's terminal (read takes the console's next line there) or a detached job's. */
    Input EMPTY = () -> "";

    /** {@code < /dev/null}: empty, and never the terminal. */
    Input NULL = () -> "";
}
