package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12: every bad input (argument, environment, file) gets one line on stderr naming what was
 * wrong, the value and what to do, a non-zero exit, no Java exception text, and leaves files as they
 * were. Each case runs ssilab as a process, as a learner's shell would.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    private SsilabProcess.Result ssilab(String... args) throws Exception {
        return new SsilabProcess(tmp).run("", args);
    }

    /** Asserts the one-line refusal: non-zero exit, a single stderr line holding every phrase, no exception text. */
    private static void refused(SsilabProcess.Result r, String... phrases) {
        assertNotEquals(0, r.exit(), "exit status: " + r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr, got: " + r.err());
        assertTrue(lines.get(0).startsWith("ssilab: "), r.err());
        for (String p : phrases) {
            assertTrue(lines.get(0).contains(p), "'" + p + "' in: " + r.err());
        }
        noJavaText(r.err());
    }

    private static void noJavaText(String text) {
        assertFalse(text.contains("Exception"), "no exception class names: " + text);
        assertFalse(text.contains("\tat "), "no stack trace: " + text);
        assertFalse(text.contains("internal error"), text);
    }

    @Test
    void aCommandGroupWithoutItsSubcommandShowsUsageOnStderrAndExits2() throws Exception {
        for (String group : List.of("cluster", "kernel", "rootfs", "mirror", "artifacts")) {
            var r = ssilab(group);
            assertEquals(2, r.exit(), group + ": " + r.err());
            assertEquals("", r.out(), group + " writes nothing on stdout");
            assertTrue(r.err().startsWith("ssilab: 'ssilab " + group + "' needs a command: "), r.err());
            assertTrue(r.err().contains("Usage: ssilab " + group + " "), "usage names the full command: " + r.err());
        }
    }

    @Test
    void anEmptyBackendIsRefusedNamingTheValidOnes() throws Exception {
        refused(ssilab("lint", "--backend", ""), "--backend is empty", "sim", "uml");
        refused(ssilab("--backend", "", "lint"), "--backend is empty", "sim", "uml");
        refused(ssilab("cluster", "start", "--backend", "", "2"), "--backend is empty", "sim", "uml");
        refused(ssilab("lint", "--backend", "xen"), "unknown backend 'xen'", "--backend sim");
    }

    @Test
    void aPaceThatIsNotANumberOfSecondsIsRefused() throws Exception {
        for (String pace : List.of("NaN", "-1", "Infinity", "61")) {
            refused(ssilab("play", "--all", "--pace", pace), "--pace", "out of range", "0 to 60 seconds");
        }
    }

    @Test
    void courseOptionsBeforeTheSubcommandAreUsedByItOrRefused() throws Exception {
        Path missing = tmp.resolve("no-such-course");
        refused(ssilab("--course", missing.toString(), "lint"), "course folder not found: " + missing, "--course DIR");
        Path course = Files.createDirectories(tmp.resolve("course"));
        Files.writeString(course.resolve("01-a.md"), "---\nid: a\ntitle: A\n---\nNo steps.\n");
        var lint = ssilab("--course", course.toString(), "lint");
        assertEquals(1, lint.exit(), lint.out() + lint.err());
        assertTrue(lint.out().contains(course.resolve("01-a.md") + ":5: lesson has no steps"), "lint read the course given before it: " + lint.out());
        refused(ssilab("--course", course.toString(), "cluster", "ls"), "'ssilab cluster ls' takes no --course option", "ssilab lint --course");
        Path file = Files.writeString(tmp.resolve("root_fs"), "x");
        refused(ssilab("--backend", "xen", "cluster", "start", "-r", file.toString(), "2"), "unknown backend 'xen'");
        refused(ssilab("lint", file.toString()), "course folder " + file + " is a file");
    }

    @Test
    void aStateHomeThatIsAFileIsNamedWithTheVariableToFix() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        var p = new SsilabProcess(tmp).env("XDG_STATE_HOME", file.toString());
        refused(p.run(""), "cannot use " + file.resolve("ssilab") + ": Not a directory", "XDG_STATE_HOME=" + file);
        refused(p.run("", "cluster", "start", "--backend", "sim", "-r", file.toString(), "2"),
                "cannot use " + file.resolve("ssilab"), "XDG_STATE_HOME");
        assertEquals("x", Files.readString(file), "the file is left as it was");
    }

    @Test
    void aCorruptClusterStateFileIsOneLineNamingItAndWhatToDo() throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state/ssilab/clusters/10001")).resolve("state.properties");
        Files.writeString(state, "id=\\u00zz\n");
        refused(ssilab("cluster", "add", "10001", "3"), "corrupt cluster state file " + state, "ssi-stop 10001");
        var ls = ssilab("cluster", "ls");
        assertEquals(0, ls.exit(), ls.err());
        assertTrue(ls.out().contains("10001"), "ls still lists it, as stale: " + ls.out());
        noJavaText(ls.err());
    }

    @Test
    void aJunitReportPathThatIsAFolderIsRefusedBeforeTheRun() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("reports"));
        refused(ssilab("test", "--junit-xml", dir.toString()), "--junit-xml " + dir + " is a folder", "give a file name");
        assertTrue(Files.isDirectory(dir), "the folder is left as it was");
        assertFalse(Files.exists(tmp.resolve("data/ssilab/runs")), "no test run was started");
    }

    @Test
    void aUrlWithAnImpossiblePortIsRefusedNamingIt() throws Exception {
        refused(ssilab("fetch", "http://127.0.0.1:99999/x"), "'http://127.0.0.1:99999/x'", "port 99999", "1 to 65535");
        refused(ssilab("fetch", "--mirror", "http://127.0.0.1:0/", "root_fs.ssi.bz2"), "--mirror URL", "port 0");
        assertFalse(Files.exists(tmp.resolve("x")), "nothing was written");
    }

    @Test
    void anUnreadableProgressFileIsKeptAndReported() throws Exception {
        // Tests run as root, whom chmod does not stop: a folder in the file's place cannot be read either.
        Path progress = Files.createDirectories(tmp.resolve("state/ssilab/progress.properties"));
        Files.writeString(progress.resolve("keep"), "x");
        refused(ssilab(), "cannot read your saved progress " + progress, "left it as it is");
        assertTrue(Files.isRegularFile(progress.resolve("keep")), "the progress is left in place");
        try (var siblings = Files.list(progress.getParent())) {
            assertTrue(siblings.noneMatch(f -> f.getFileName().toString().contains("corrupt")), "nothing was set aside");
        }
    }
}
