package dev.ssilab.course;

import java.io.IOException;
import java.io.Writer;

/**
 * A StringWriter with a ceiling: a lesson template that prints without end (a loop to two billion)
 * stops with {@link TooLarge} at the limit instead of filling the heap.
 */
final class BoundedWriter extends Writer {
    /** Thrown by a write that would pass the limit; an IOException so FreeMarker passes it through. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("output passed " + limit + " characters");
        }
    }

    private final StringBuilder text = new StringBuilder();
    private final int limit;

    BoundedWriter(int limit) {
        this.limit = limit;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        if (len > limit - text.length()) {
            throw new TooLarge(limit);
        }
        text.append(buf, off, len);
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        if (len > limit - text.length()) {
            throw new TooLarge(limit);
        }
        text.append(s, off, off + len);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
        return text.toString();
    }
}
