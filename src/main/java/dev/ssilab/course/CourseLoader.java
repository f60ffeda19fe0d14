package dev.ssilab.course;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Loads a course folder (lessons/*.md in name order) and validates it as a whole. */
public final class CourseLoader {
    private final LessonParser parser;
    private final Optional<CourseCache> cache;

    public CourseLoader(TemplateEngine templates) {
        this.parser = new LessonParser(templates);
        this.cache = Optional.empty();
    }

    /** A loader that keeps the valid courses it loads in {@code cacheDir}, and finds them there again. */
    public CourseLoader(TemplateEngine templates, Path cacheDir) {
        this.parser = new LessonParser(templates);
        this.cache = CourseCache.in(cacheDir);
    }

    /** Loads a valid course, or throws {@link InvalidCourseException} listing every problem. */
    public Course load(Path dir, Map<String, ?> vars) {
        List<Path> files = lessonFiles(dir);
        List<Problem> problems = new ArrayList<>();
        Map<String, String> texts = readAll(files);
        Optional<String> key = texts.size() == files.size() ? cache.flatMap(c -> c.key(files, texts, vars)) : Optional.empty();
        Optional<Course> cached = key.flatMap(k -> cache.get().read(k));
        if (cached.isPresent()) {
            return cached.get();
        }
        Course course = read(dir, files, texts, vars, problems);
        if (!problems.isEmpty()) {
            throw new InvalidCourseException(problems);
        }
        key.ifPresent(k -> cache.get().write(k, course));
        return course;
    }

    /** Every problem of a course, sorted by file and line; empty when it is valid. */
    public List<Problem> lint(Path dir, Map<String, ?> vars) {
        List<Path> files = lessonFiles(dir);
        List<Problem> problems = new ArrayList<>();
        read(dir, files, readAll(files), vars, problems);
        return problems.stream().sorted().toList();
    }

    /** Parses one lesson file again (the tutor re-renders a lesson with the current variables). */
    public Lesson reload(Path file, Map<String, ?> vars) {
        List<Problem> problems = new ArrayList<>();
        Lesson lesson = parser.parse(file, readText(file, problems), vars, problems);
        if (!problems.isEmpty()) {
            throw new InvalidCourseException(problems);
        }
        return lesson;
    }

    /** The lesson files of a course folder, in name order; a missing or empty folder is the learner's error. */
    private static List<Path> lessonFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("course folder not found: " + dir + " (pass --course DIR with your lessons)");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".md") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UserError("cannot read course folder " + dir + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new UserError("no lessons in " + dir + ": a course is a folder of NN-name.md files");
        }
        return files;
    }

    private Course read(Path dir, List<Path> files, Map<String, String> texts, Map<String, ?> vars, List<Problem> problems) {
        // Lessons are parsed side by side (each into its own problem list, merged in file order): loading
        // the course is most of the tutor's time to its first prompt.
        List<List<Problem>> found = files.stream().map(f -> (List<Problem>) new ArrayList<Problem>()).toList();
        List<Lesson> parsed = java.util.stream.IntStream.range(0, files.size()).parallel()
                .mapToObj(i -> {
                    String text = texts.get(files.get(i).toString());
                    return parser.parse(files.get(i), text != null ? text : readText(files.get(i), found.get(i)), vars, found.get(i));
                })
                .toList();
        found.forEach(problems::addAll);
        List<Lesson> lessons = new ArrayList<>();
        Map<String, Lesson> byId = new HashMap<>();
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            Lesson lesson = parsed.get(f);
            if (lesson == null) {
                continue;
            }
            Lesson twin = byId.putIfAbsent(lesson.id(), lesson);
            if (twin != null) {
                problems.add(new Problem(file, keyLine(file, "id:"), "duplicate lesson id '" + lesson.id() + "' (also in " + twin.file().getFileName() + ")"));
                continue;
            }
            lessons.add(lesson);
        }
        for (int i = 0; i < lessons.size(); i++) {
            Lesson lesson = lessons.get(i);
            for (String req : lesson.requires()) {
                int at = indexOf(lessons, req);
                int line = keyLine(lesson.file(), "requires:");
                if (at < 0) {
                    problems.add(new Problem(lesson.file(), line, "requires '" + req + "', which is no lesson of this course (known: " + String.join(", ", ids(lessons)) + ")"));
                } else if (at >= i) {
                    problems.add(new Problem(lesson.file(), line, "requires '" + req + "', which does not come before this lesson: rename the files so it does"));
                }
            }
        }
        return new Course(dir, lessons);
    }

    /** The text of each file that reads as UTF-8, by path; one that does not is read again, with its problem, when parsed. */
    private static Map<String, String> readAll(List<Path> files) {
        Map<String, String> texts = new HashMap<>();
        for (Path f : files) {
            List<Problem> none = new ArrayList<>();
            String text = readText(f, none);
            if (none.isEmpty()) {
                texts.put(f.toString(), text);
            }
        }
        return texts;
    }

    private static String readText(Path file, List<Problem> problems) {
        try {
            return Files.readString(file);
        } catch (MalformedInputException e) {
            problems.add(new Problem(file, 1, "not UTF-8 text: save the lesson as UTF-8"));
        } catch (IOException e) {
            problems.add(new Problem(file, 1, "cannot read: " + e.getMessage()));
        }
        return "";
    }

    private static int indexOf(List<Lesson> lessons, String id) {
        for (int i = 0; i < lessons.size(); i++) {
            if (lessons.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> ids(List<Lesson> lessons) {
        return lessons.stream().map(Lesson::id).toList();
    }

    /** The line of a front matter key, for problems found after parsing. */
    private static int keyLine(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(key)) {
                    return i + 1;
                }
            }
        } catch (IOException ignored) {
            // the read problem was reported when the lesson was parsed
        }
        return 1;
    }
}
