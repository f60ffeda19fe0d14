package dev.ssilab.course;

import java.nio.file.Path;

/** One thing wrong in a lesson file, printed as {@code FILE:LINE: message}. */
public record Problem(Path file, int line, String message) implements Comparable<Problem> {

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }

    @Override
    public int compareTo(Problem o) {
        int c = file.toString().compareTo(o.file.toString());
        return c != 0 ? c : Integer.compare(line, o.line);
    }
}
