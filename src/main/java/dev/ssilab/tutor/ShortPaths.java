package dev.ssilab.tutor;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Shows the course's workdir the way a learner would type it: {@code ~/...} when it is under the home
 * folder. Auto-play uses it so that a room reads {@code ~/.local/share/ssilab/work/usr} instead of a
 * screen-wide absolute path; it changes only what is shown, never what runs.
 */
final class ShortPaths {
    private final String longForm;
    private final String shortForm;

    ShortPaths(Path workdir, Path home) {
        String w = workdir.toAbsolutePath().normalize().toString();
        String h = home.toAbsolutePath().normalize().toString();
        this.longForm = w;
        this.shortForm = !h.equals("/") && w.startsWith(h + "/") ? "~" + w.substring(h.length()) : w;
    }

    String shorten(String text) {
        return longForm.equals(shortForm) ? text : text.replace(longForm, shortForm);
    }

    /**
     * A stream that shortens the workdir in what passes through. Bytes that could be the start of the
     * workdir's path are held back until the next write shows whether they are (or until flush), so a
     * path split across two writes is still shortened.
     */
    OutputStream wrap(OutputStream out) {
        if (longForm.equals(shortForm)) {
            return out;
        }
        byte[] needle = longForm.getBytes(StandardCharsets.UTF_8);
        byte[] replacement = shortForm.getBytes(StandardCharsets.UTF_8);
        return new FilterOutputStream(out) {
            private final byte[] held = new byte[needle.length];
            private int heldCount;

            @Override
            public void write(int b) throws IOException {
                held[heldCount++] = (byte) b;
                if (heldCount == needle.length) {
                    out.write(replacement);
                    heldCount = 0;
                    return;
                }
                // keep the longest held suffix that is still a prefix of the needle; write the rest
                int keep = heldCount;
                while (keep > 0 && !isNeedlePrefix(heldCount - keep, keep)) {
                    keep--;
                }
                int emit = heldCount - keep;
                if (emit > 0) {
                    out.write(held, 0, emit);
                    System.arraycopy(held, emit, held, 0, keep);
                    heldCount = keep;
                }
            }

            private boolean isNeedlePrefix(int from, int len) {
                for (int i = 0; i < len; i++) {
                    if (held[from + i] != needle[i]) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }

            @Override
            public void flush() throws IOException {
                out.write(held, 0, heldCount);
                heldCount = 0;
                out.flush();
            }
        };
    }
}
