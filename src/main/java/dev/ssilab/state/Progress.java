package dev.ssilab.state;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The learner's place in the course and the steps they have done, saved atomically after each change
 * so a learner who stops (or whose terminal dies) resumes exactly there days later.
 */
public final class Progress {
    private static final String VERSION = "1";

    private String lesson;
    private int step;
    private final Set<String> done = new TreeSet<>();

    public String lesson() {
        return lesson;
    }

    public int step() {
        return step;
    }

    public void moveTo(String lessonId, int stepIndex) {
        this.lesson = lessonId;
        this.step = stepIndex;
    }

    public boolean isDone(String lessonId, int stepIndex) {
        return done.contains(key(lessonId, stepIndex));
    }

    public void markDone(String lessonId, int stepIndex) {
        done.add(key(lessonId, stepIndex));
    }

    /** Forgets the steps of one lesson, or of all lessons when lessonId is null. */
    public void reset(String lessonId) {
        if (lessonId == null) {
            done.clear();
            lesson = null;
            step = 0;
        } else {
            done.removeIf(k -> k.startsWith(lessonId + "#"));
        }
    }

    public int doneCount(String lessonId) {
        return (int) done.stream().filter(k -> k.startsWith(lessonId + "#")).count();
    }

    private static String key(String lessonId, int stepIndex) {
        return lessonId + "#" + (stepIndex + 1);
    }

    /** What loading found: the progress, and a warning line when a bad file was set aside. */
    public record Loaded(Progress progress, String warning) {}

    public static Loaded load(Path file) {
        if (!Files.exists(file)) {
            return new Loaded(new Progress(), null);
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (java.nio.charset.CharacterCodingException e) {
            return setAside(file, "it is not UTF-8 text");
        } catch (IOException e) {
            // Not readable is not corrupt: the progress in it may be fine (a permission, a folder in its
            // place, a disk error), so it is kept as it is and the learner is told, rather than being
            // moved aside and the course restarted from the beginning.
            throw new UserError("cannot read your saved progress " + file + ": " + reason(e)
                    + " (ssilab left it as it is; make it a readable file, or move it away to start the course afresh)");
        }
        try {
            return new Loaded(parse(text), null);
        } catch (IOException | IllegalArgumentException e) {
            return setAside(file, e.getMessage());
        }
    }

    /** A file that was read but holds no progress: moved aside (kept for the curious) and the course starts afresh. */
    private static Loaded setAside(Path file, String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        try {
            Files.move(file, aside);
        } catch (IOException moveFailed) {
            aside = null;
        }
        return new Loaded(new Progress(), "your saved progress could not be read (" + why + ")"
                + (aside != null ? "; it was set aside as " + aside : "") + "; starting from the beginning");
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static Progress parse(String text) throws IOException {
        java.util.Properties p = new java.util.Properties();
        p.load(new StringReader(text));
        if (!VERSION.equals(p.getProperty("version"))) {
            throw new IllegalArgumentException("no 'version=" + VERSION + "' line");
        }
        Progress pr = new Progress();
        pr.lesson = p.getProperty("lesson");
        String step = p.getProperty("step", "0");
        if (!step.matches("\\d{1,4}")) {
            throw new IllegalArgumentException("step '" + step + "' is not a number");
        }
        pr.step = Integer.parseInt(step);
        String d = p.getProperty("done", "").strip();
        if (!d.isEmpty()) {
            for (String k : d.split(",")) {
                if (!k.matches("[a-z0-9][a-z0-9-]*#\\d+")) {
                    throw new IllegalArgumentException("done entry '" + k + "' is not LESSON#STEP");
                }
                pr.done.add(k);
            }
        }
        return pr;
    }

    public void save(Path file) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("version", VERSION);
        if (lesson != null) {
            p.setProperty("lesson", lesson);
        }
        p.setProperty("step", Integer.toString(step));
        p.setProperty("done", String.join(",", done));
        StringWriter w = new StringWriter();
        try {
            p.store(w, "ssilab progress");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        AtomicFiles.writeString(file, w.toString());
    }
}
