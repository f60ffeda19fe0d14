package dev.ssilab.artifact;

import java.util.Optional;

/** One byte range of a file, as asked for by an HTTP {@code Range: bytes=...} header (inclusive ends). */
record ByteRange(long first, long last) {

    long length() {
        return last - first + 1;
    }

    /** The result of reading a Range header against a file of a given size. */
    sealed interface Parsed permits Whole, Partial, Unsatisfiable {}

    /** No usable Range header (absent, or several ranges, which we answer with the whole file). */
    record Whole() implements Parsed {}

    record Partial(ByteRange range) implements Parsed {}

    /** Malformed, or starting beyond the end: answered with 416. */
    record Unsatisfiable() implements Parsed {}

    static Parsed parse(Optional<String> header, long size) {
        if (header.isEmpty()) {
            return new Whole();
        }
        String h = header.get().strip();
        if (!h.startsWith("bytes=")) {
            return new Unsatisfiable();
        }
        String spec = h.substring(6).strip();
        if (spec.contains(",")) {
            return new Whole(); // multipart answers are allowed to be the whole file
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Unsatisfiable();
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        try {
            if (a.isEmpty()) { // suffix: the last N bytes
                long n = Long.parseLong(b);
                if (n <= 0 || size == 0) {
                    return new Unsatisfiable();
                }
                return new Partial(new ByteRange(Math.max(0, size - n), size - 1));
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first < 0 || first >= size || (!b.isEmpty() && Long.parseLong(b) < first)) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(first, last));
        } catch (NumberFormatException e) {
            return new Unsatisfiable();
        }
    }
}
