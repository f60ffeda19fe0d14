package dev.ssilab.tutor;

import dev.ssilab.state.KeyStream;
import dev.ssilab.step.Keyboard;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.NonBlockingReader;
import org.jline.utils.Status;

/**
 * The tutor on a real terminal: JLine line editing, completion of commands and lesson ids, persistent
 * history, a status line, a pager for long text, and Ctrl-C that stops the running command only.
 */
final class TerminalIO implements TutorIO, Keyboard {
    private final Terminal terminal;
    private final LineReader reader;
    private final PrintStream out;
    private final boolean color;
    private final List<String> lessonIds = new CopyOnWriteArrayList<>();
    private volatile Runnable interrupt = () -> {};
    private Status status;

    TerminalIO(Terminal terminal, Path historyFile, boolean color) {
        this.terminal = terminal;
        this.color = color;
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("ssilab")
                .completer(this::complete)
                .variable(LineReader.HISTORY_FILE, historyFile)
                .variable(LineReader.HISTORY_SIZE, 1000)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .build();
        this.out = new PrintStream(terminal.output(), true, terminal.encoding());
        terminal.handle(Terminal.Signal.INT, s -> interrupt.run());
        try {
            status = Status.getStatus(terminal);
        } catch (RuntimeException e) {
            status = null;
        }
    }

    static TerminalIO open(Path historyFile, boolean color) throws IOException {
        Terminal t = TerminalBuilder.builder().system(true).nativeSignals(true)
                .signalHandler(Terminal.SignalHandler.SIG_IGN).build();
        return new TerminalIO(t, historyFile, color);
    }

    private void complete(LineReader r, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            for (TutorCommand c : TutorCommand.values()) {
                candidates.add(new Candidate(c.word()));
            }
        } else if (line.wordIndex() == 1 && TutorCommand.named(line.words().get(0)).filter(TutorCommand::takesLessonId).isPresent()) {
            for (String id : lessonIds) {
                candidates.add(new Candidate(id));
            }
        }
    }

    @Override
    public String readLine(String prompt) {
        while (true) {
            try {
                String p = color ? new AttributedString(prompt, AttributedStyle.BOLD.foreground(AttributedStyle.GREEN)).toAnsi(terminal) : prompt;
                return reader.readLine(p);
            } catch (UserInterruptException e) {
                out.println("(Ctrl-C stops a running command; type quit to leave the tutor)");
            } catch (EndOfFileException e) {
                return null;
            }
        }
    }

    @Override
    public PrintStream out() {
        return out;
    }

    @Override
    public int width() {
        int w = terminal.getWidth();
        return w <= 0 ? 80 : w;
    }

    @Override
    public boolean color() {
        return color;
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public void status(String text) {
        if (status != null) {
            List<AttributedString> lines = new ArrayList<>();
            lines.add(new AttributedString(text, color ? AttributedStyle.INVERSE : AttributedStyle.DEFAULT));
            status.update(lines);
        }
    }

    @Override
    public void page(String text) {
        long lines = text.lines().count();
        if (lines < terminal.getHeight() - 3) {
            out.print(text);
            out.flush();
            return;
        }
        out.flush();
        try {
            ProcessBuilder pb = new ProcessBuilder("less", "-R", "-F", "-X", "-Ps-- space: more, b: back, q: on to the tutor --").redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                in.write(text.getBytes(terminal.encoding()));
            } catch (IOException quitEarly) {
                // the learner quit the pager before the end: that is fine
            }
            p.waitFor();
        } catch (IOException e) {
            out.print(text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Keyboard keyboard() {
        return this;
    }

    /**
     * Key by key for the call, without echo (the node's side shows what it wants to), and back to line
     * editing after. Signals stay on: Ctrl-C is still the tutor's, which stops the command.
     */
    @Override
    public <T> T lend(Function<InputStream, T> body) {
        Attributes before = terminal.getAttributes();
        Attributes keys = new Attributes(before);
        keys.setLocalFlags(EnumSet.of(Attributes.LocalFlag.ICANON,
                Attributes.LocalFlag.ECHO, Attributes.LocalFlag.IEXTEN), false);
        AtomicBoolean done = new AtomicBoolean();
        InputStream in = new KeyStream() {
            @Override
            public int read() throws IOException {
                // short waits, so that the stream ends soon after the command and never eats a key meant for the prompt
                while (!done.get()) {
                    int c = terminal.reader().read(50);
                    if (c >= 0) {
                        return c & 0xff;
                    }
                    if (c == NonBlockingReader.EOF) {
                        return -1;
                    }
                }
                return -1;
            }
        };
        terminal.setAttributes(keys);
        try {
            return body.apply(in);
        } finally {
            done.set(true);
            terminal.setAttributes(before);
        }
    }

    @Override
    public void onInterrupt(Runnable onInterrupt) {
        this.interrupt = onInterrupt;
    }

    @Override
    public void lessonIds(List<String> ids) {
        lessonIds.clear();
        lessonIds.addAll(ids);
    }

    @Override
    public boolean confirm(String question) {
        String answer = readLine(question + " [y/N] ");
        return answer != null && answer.strip().toLowerCase().startsWith("y");
    }

    @Override
    public void close() {
        try {
            if (status != null) {
                status.hide(); // the learner's shell gets its whole screen back, without our last status
                status.close();
            }
            reader.getHistory().save();
            terminal.close();
        } catch (IOException e) {
            // closing on the way out: nothing left to tell
        }
    }
}
