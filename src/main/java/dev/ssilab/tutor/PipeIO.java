package dev.ssilab.tutor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Line-by-line input without a terminal: how scripts and the end-to-end tests drive the tutor.
 * Each command read is echoed after the prompt so a transcript reads like a session.
 */
final class PipeIO implements TutorIO {
    private final BufferedReader in;
    private final PrintStream out;
    private final int width;

    PipeIO(InputStream in, PrintStream out, int width) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.width = width;
    }

    @Override
    public String readLine(String prompt) {
        try {
            out.print(prompt);
            out.flush();
            String line = in.readLine();
            out.println(line == null ? "" : line);
            return line;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public PrintStream out() {
        return out;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public boolean color() {
        return false;
    }

    @Override
    public boolean interactive() {
        return false;
    }

    @Override
    public void status(String text) {}

    @Override
    public void page(String text) {
        out.print(text);
    }

    @Override
    public void onInterrupt(Runnable onInterrupt) {}

    @Override
    public void lessonIds(List<String> ids) {}

    @Override
    public boolean confirm(String question) {
        return false;
    }

    @Override
    public void close() {
        out.flush();
    }
}
