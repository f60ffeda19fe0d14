package dev.ssilab.cluster.sim.model;

/**
 * A standard input that several commands share, each taking what it reads from one position: a
 * loop's {@code read} takes a line a turn, and a {@code cat} in the loop the rest, as they would from
 * one open file or pipe. The text is taken from its source once, when first read (the stage before
 * has ended by then: the simulator runs a line's stages one after the other).
 */
public final class LineInput implements Input {
    /** A line as read: its text without the newline, and whether a newline ended it. */
    public record Line(String text, boolean terminated) {}

    private final Input source;
    private String text;
    /** Where the next read starts in text (an index, not a substring: a loop reads many lines). */
    private int pos;

    private LineInput(Input source) {
        this.source = source;
    }

    /** {@code in} ready to be read a line at a time; the terminal (EMPTY) and a LineInput stay as they are. */
    public static Input of(Input in) {
        return in == EMPTY || in instanceof LineInput ? in : new LineInput(in);
    }

    @Override
    public synchronized String readAll() throws InterruptedException {
        fill();
        String all = text.substring(pos);
        pos = text.length();
        return all;
    }

    /** The next line, or null at the end. */
    public synchronized Line readLine() throws InterruptedException {
        fill();
        if (pos >= text.length()) {
            return null;
        }
        int nl = text.indexOf('\n', pos);
        Line line = nl < 0 ? new Line(text.substring(pos), false) : new Line(text.substring(pos, nl), true);
        pos = nl < 0 ? text.length() : nl + 1;
        return line;
    }

    private void fill() throws InterruptedException {
        if (text == null) {
            text = source.readAll();
        }
    }
}
