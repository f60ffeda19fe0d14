package dev.ssilab.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Cooked lines out of a raw terminal's keys, for a console that reads lines: echoes what is typed,
 * applies backspace and Ctrl-U, ends a line at Enter and the input at Ctrl-D on an empty line, as a
 * tty in canonical mode does. Ctrl-C (U+0003) is passed on at once for the console to act on.
 */
public final class LineDiscipline extends InputStream {
    private final InputStream keys;
    private final OutputStream echo;
    private final StringBuilder line = new StringBuilder();
    private byte[] ready = new byte[0];
    private int readyAt;
    private boolean ended;
    private boolean escape;

    public LineDiscipline(InputStream keys, OutputStream echo) {
        this.keys = keys;
        this.echo = echo;
    }

    @Override
    public int read() throws IOException {
        while (readyAt >= ready.length) {
            if (ended || !fill()) {
                return -1;
            }
        }
        return ready[readyAt++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int first = read();
        if (first < 0) {
            return -1;
        }
        b[off] = (byte) first;
        int n = 1;
        while (n < len && readyAt < ready.length) {
            b[off + n++] = ready[readyAt++];
        }
        return n;
    }

    /** Reads keys until something can be handed on; false at the end of the input. */
    private boolean fill() throws IOException {
        while (true) {
            int c = keys.read();
            if (c < 0) {
                ended = true;
                if (line.length() > 0) {
                    hand(line + "\n");
                    line.setLength(0);
                    return true;
                }
                return false;
            }
            if (escape) {
                escape = c == '[' || c == 'O' || (c >= '0' && c <= '9') || c == ';';
                continue;
            }
            switch (c) {
                case '\r', '\n' -> {
                    say("\n");
                    hand(line + "\n");
                    line.setLength(0);
                    return true;
                }
                case 3 -> {
                    line.setLength(0);
                    say("^C\n");
                    hand("\u0003");
                    return true;
                }
                case 4 -> {
                    if (line.length() == 0) {
                        ended = true;
                        return false;
                    }
                }
                case 8, 127 -> {
                    if (line.length() > 0) {
                        line.setLength(line.length() - 1);
                        say("\b \b");
                    }
                }
                case 21 -> {
                    say("\b \b".repeat(line.length()));
                    line.setLength(0);
                }
                case 27 -> escape = true;
                default -> {
                    if (c >= ' ') {
                        line.append((char) c);
                        say(String.valueOf((char) c));
                    }
                }
            }
        }
    }

    private void hand(String text) {
        ready = text.getBytes(StandardCharsets.UTF_8);
        readyAt = 0;
    }

    private void say(String text) throws IOException {
        synchronized (echo) {
            echo.write(text.getBytes(StandardCharsets.UTF_8));
            echo.flush();
        }
    }
}
