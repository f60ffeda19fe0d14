package dev.ssilab.step;

import java.io.InputStream;
import java.util.function.Function;

/**
 * The learner's keys, lent to a command on a node while it runs: the tutor's terminal goes key by key
 * for the call and back to line editing after it. Ctrl-C stays the tutor's (it stops the command).
 */
public interface Keyboard {

    /** Runs {@code body} with a stream of the keys pressed meanwhile; the stream ends when body returns. */
    <T> T lend(Function<InputStream, T> body);
}
