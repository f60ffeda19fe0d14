package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lint, test and play as a learner or author runs them: real processes, real files. */
class CourseCommandsTest {
    static final String GOOD = Path.of("src/test/resources/courses/good").toAbsolutePath().toString();
    static final String BROKEN = Path.of("src/test/resources/courses/broken").toAbsolutePath().toString();

    @TempDir
    Path tmp;

    @Test
    void shippedCoursePassesItsOwnTestOnTheSimulator() throws Exception {
        var r = new SsilabProcess(tmp).run("", "test", "--backend", "sim", "--junit-xml", tmp.resolve("course.xml").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("PASS introduction / Tell UML and SSI apart"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\d+ passed, 0 failed(, \\d+ skipped)?")), r.out());
        assertTrue(Files.readString(tmp.resolve("course.xml")).contains("<testsuite name=\"introduction\""));
        try (var runs = Files.list(tmp.resolve("data/ssilab/runs"))) {
            assertEquals(0, runs.count(), "the test's workdir is removed afterwards");
        }
    }

    /**
     * The whole course on real UML nodes, as CI must show it: every lesson marked for uml boots real
     * kernels and passes; the only skips are steps and lessons that say they cannot run there. The
     * machine's kernel cache is used (the kernel, and lesson 13's kernel source), as a learner's is.
     */
    @Test
    void shippedCoursePassesItsOwnTestOnRealUmlNodes() throws Exception {
        String cache = System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache");
        // lesson 13 compiles a kernel: about 7 minutes on two cores, more on a busy machine
        var r = new SsilabProcess(tmp).env("XDG_CACHE_HOME", cache).timeout(java.time.Duration.ofMinutes(45))
                .run("", "test", "--backend", "uml");
        assertEquals(0, r.exit(), r.out() + r.err());
        String out = r.out();
        assertTrue(out.contains("PASS booting-the-cluster / Start a four-node cluster"), out);
        assertTrue(out.contains("PASS crashing-a-node / Crash node 1"), out);
        assertTrue(out.contains("PASS building-a-kernel / Boot a cluster on your kernel"), out);
        assertTrue(out.contains("PASS building-a-root / Boot a cluster on your root"), out);
        for (String skip : out.lines().filter(l -> l.startsWith("SKIP")).toList()) {
            assertTrue(skip.contains("runs only on backend sim, not on uml"), "a uml skip says why: " + skip);
        }
        assertTrue(out.lines().anyMatch(l -> l.matches("\\d+ passed, 0 failed(, \\d+ skipped)?")), out);
    }

    @Test
    void theWholeCourseAutoPlaysOnTheSimulatorWithoutAFailure() throws Exception {
        var r = new SsilabProcess(tmp).env("HOME", tmp.toString()).run("", "play", "--all", "--pace", "0");
        assertEquals(0, r.exit(), r.out() + r.err());
        String out = r.out();
        assertTrue(out.contains("✔ All steps played."), out);
        assertTrue(out.contains("$ answer b"), "a question is answered as the learner types it: " + out);
        assertTrue(out.matches("(?s).*▣ cluster 10001 \\(sim\\):  1 UP \\[CLMS master.*"), "the cluster is shown between steps: " + out);
        assertTrue(out.contains("$ ssi-start 4"), out);
        assertEquals(1, out.split("ssi-start 4\n", -1).length - 1, "each command appears once: " + out);
        assertTrue(!out.contains(tmp.resolve("data").toString()), "workdir paths are shown short: " + out);
        assertTrue(out.contains("PREFIX=\"~/data/ssilab/runs/play-"), "as the learner's shell would expand them: " + out);
    }

    @Test
    void lintExitsOneAndPrintsEachProblem() throws Exception {
        var bad = new SsilabProcess(tmp).run("", "lint", BROKEN);
        assertEquals(1, bad.exit());
        assertTrue(bad.out().contains("01-roles.md:11: unknown role 'chek'"), bad.out());
        assertTrue(bad.out().contains("11 problems in"), bad.out());
        var good = new SsilabProcess(tmp).run("", "lint", GOOD);
        assertEquals(0, good.exit(), good.out());
        assertTrue(good.out().contains("2 lessons, 3 steps, no problems"), good.out());
    }

    @Test
    void courseFromTheEnvironmentIsUsedByTest() throws Exception {
        var r = new SsilabProcess(tmp).env("SSILAB_COURSE", GOOD).run("", "test", "second");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("PASS first / Make a file"), "required lessons run first: " + r.out());
        assertTrue(r.out().contains("3 passed, 0 failed"), r.out());
    }

    @Test
    void playRunsEveryStepAndStopsAtTheFirstFailure() throws Exception {
        var ok = new SsilabProcess(tmp).run("", "play", "--all", "--pace", "0", "--course", GOOD);
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.out().contains("$ echo hello >made.txt"), ok.out());
        assertTrue(ok.out().contains("✔ Append a line"), ok.out());
        Path course = tmp.resolve("failing");
        Files.createDirectories(course);
        Files.writeString(course.resolve("01-f.md"), "---\nid: f\ntitle: F\n---\n## Step: Fails\n```sh run\nfalse\n```\n```sh check\ntrue\n```\n## Step: Never reached\n```sh run\ntrue\n```\n```sh check\ntrue\n```\n");
        var bad = new SsilabProcess(tmp).run("", "play", "f", "--pace", "0", "--course", course.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.out().contains("✘ Fails: the command exited with status 1"), bad.out());
        assertTrue(!bad.out().contains("Never reached"), bad.out());
    }

    @Test
    void wrongInputGetsOneLineAndExitOne() throws Exception {
        SsilabProcess s = new SsilabProcess(tmp);
        var noLessons = s.run("", "play");
        assertEquals(1, noLessons.exit());
        assertEquals("ssilab: nothing to play: name lessons (see 'ssilab lint' for ids) or pass --all\n", noLessons.err());
        var backend = s.run("", "test", "--backend", "vmware");
        assertEquals(1, backend.exit());
        assertEquals("ssilab: unknown backend 'vmware' (use --backend sim or --backend uml)\n", backend.err());
        var lesson = s.run("", "test", "no-such-lesson");
        assertEquals(1, lesson.exit());
        assertTrue(lesson.err().startsWith("ssilab: no lesson 'no-such-lesson' in this course (known: introduction"), lesson.err());
        var option = s.run("", "lint", "--frobnicate");
        assertEquals(1, option.exit());
        assertEquals(1, option.err().lines().count(), option.err());
        assertTrue(option.err().contains("--frobnicate"), option.err());
        var course = s.run("", "--course", tmp.resolve("nope").toString());
        assertEquals(1, course.exit());
        assertTrue(course.err().startsWith("ssilab: course folder not found: "), course.err());
    }

    @Test
    void nodeStepsRunOnTheLearnersClusterAndTheTestStopsIt() throws Exception {
        String course = Path.of("src/test/resources/courses/cluster").toAbsolutePath().toString();
        var r = new SsilabProcess(tmp).run("", "test", "--course", course);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("PASS boot / Write on node 2, read on node 1"), r.out());
        var ls = new SsilabProcess(tmp).run("", "cluster", "ls");
        assertEquals("No clusters have been found.\n", ls.out(), "the test's cleanup stopped its cluster");
    }
}
