package dev.ssilab.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cached course is the course as parsed, and any change that could change the parse misses. */
class CourseCacheTest {
    private static final Path HOME = Path.of(".").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private static List<Path> lessons(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    private static Map<String, String> texts(List<Path> files) throws Exception {
        Map<String, String> m = new java.util.HashMap<>();
        for (Path f : files) {
            m.put(f.toString(), Files.readString(f));
        }
        return m;
    }

    @Test
    void theShippedCourseComesBackEqualToItsParse() throws Exception {
        Map<String, Object> vars = CourseVariables.forLint("uml", HOME).model();
        Course parsed = new CourseLoader(new TemplateEngine(HOME.resolve("content"))).load(HOME.resolve("lessons"), vars);
        CourseCache cache = CourseCache.at(tmp, "test 1");
        List<Path> files = lessons(HOME.resolve("lessons"));
        String key = cache.key(files, texts(files), vars).orElseThrow();
        cache.write(key, parsed);
        Course back = cache.read(key).orElseThrow();
        assertEquals(parsed, back, "every lesson, step, block, hint and line number as parsed");
        List<Block> blocks = back.lessons().stream().flatMap(l -> l.steps().stream()).flatMap(s -> s.blocks().stream()).toList();
        assertTrue(blocks.stream().anyMatch(b -> b.timeout() != null) && blocks.stream().anyMatch(b -> b.target() instanceof Target.Node)
                && back.lessons().stream().anyMatch(Lesson::downloads), "the course has the cases worth checking");
    }

    @Test
    void aChangedLessonOtherVariablesOrAnotherBuildMiss() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("course"));
        Files.writeString(dir.resolve("01-a.md"), "---\nid: a\ntitle: A\n---\n## Step: S\n```sh run\ntrue\n```\n```sh check\ntrue\n```\n");
        List<Path> files = lessons(dir);
        Map<String, Object> vars = CourseVariables.forLint("sim", HOME).model();
        String key = CourseCache.at(tmp, "build 1").key(files, texts(files), vars).orElseThrow();
        assertEquals(key, CourseCache.at(tmp, "build 1").key(files, texts(files), vars).orElseThrow(), "the same inputs, the same key");
        assertNotEquals(key, CourseCache.at(tmp, "build 2").key(files, texts(files), vars).orElseThrow(), "a rebuilt ssilab");
        assertNotEquals(key, CourseCache.at(tmp, "build 1").key(files, texts(files), CourseVariables.forLint("uml", HOME).model()).orElseThrow(),
                "other variables");
        Files.writeString(files.get(0), Files.readString(files.get(0)).replace("true\n```\n```sh check", "false\n```\n```sh check"));
        assertNotEquals(key, CourseCache.at(tmp, "build 1").key(files, texts(files), vars).orElseThrow(), "an edited lesson");
        Files.writeString(files.get(0), Files.readString(files.get(0)) + "<#include \"x.ftl\">\n");
        assertTrue(CourseCache.at(tmp, "build 1").key(files, texts(files), vars).isEmpty(), "a lesson that includes other files is never cached");
    }

    @Test
    void aDamagedEntryIsAMissNotAnError() throws Exception {
        CourseCache cache = CourseCache.at(tmp, "test");
        String key = "a".repeat(64);
        Files.write(tmp.resolve(key), new byte[] {0, 0, 0, 1, 0, 3, 'x'});
        assertTrue(cache.read(key).isEmpty());
        assertTrue(cache.read("b".repeat(64)).isEmpty(), "no entry");
    }
}
