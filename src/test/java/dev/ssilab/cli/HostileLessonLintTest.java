package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lessons may come from anyone: lint must stop a template that loops, recurses or floods, and report
 * impossible timeouts and unclosed fences, each as FILE:LINE: message, without hanging or crashing.
 */
class HostileLessonLintTest {
    private static final String STEP = """

            ## Step: Do it

            ```sh run
            echo hi
            ```

            ```sh check
            true
            ```
            """;

    @TempDir
    Path tmp;

    private Path lesson(String name, String body) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("01-a.md"), "---\nid: a\ntitle: A\n---\n" + body);
        return dir;
    }

    private SsilabProcess.Result lint(Path dir) throws Exception {
        // bounded well below the runner's own: a hang here is the bug this test is for
        return new SsilabProcess(tmp).timeout(Duration.ofSeconds(60)).run("", "lint", dir.toString());
    }

    private static void reports(SsilabProcess.Result r, String line) {
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains(line), "'" + line + "' in: " + r.out());
        assertFalse(r.out().contains("Exception") || r.err().contains("Exception"), r.out() + r.err());
        assertEquals("", r.err(), "problems go to stdout, nothing else is said");
    }

    @Test
    void aTemplateThatPrintsWithoutEndIsStopped() throws Exception {
        Path dir = lesson("flood", "<#list 1..2000000000 as i>${i}</#list>\n" + STEP);
        reports(lint(dir), dir.resolve("01-a.md") + ":1: template output passed");
    }

    @Test
    void aTemplateThatLoopsSilentlyIsStoppedAtTheDeadline() throws Exception {
        Path dir = lesson("loop", "<#list 1..2000000000 as i></#list>\n" + STEP);
        reports(lint(dir), dir.resolve("01-a.md") + ":1: template did not finish rendering within 10 s");
    }

    @Test
    void aMacroThatCallsItselfIsStopped() throws Exception {
        Path dir = lesson("recursion", "<#macro m n><@m n+1/></#macro><@m 1/>\n" + STEP);
        reports(lint(dir), dir.resolve("01-a.md") + ":1: template recursed too deeply");
    }

    @Test
    void timeoutsMustBeAboveZeroAndAtMostADay() throws Exception {
        Path dir = lesson("timeouts", """
                Intro.

                ## Step: Do it

                ```sh run timeout=99999999999h
                echo hi
                ```

                ```sh check timeout=0s
                true
                ```

                ```sh cleanup timeout=99999999999999999999999s
                true
                ```
                """);
        Path file = dir.resolve("01-a.md");
        var r = lint(dir);
        reports(r, file + ":9: timeout '99999999999h' is too long (at most 24h");
        reports(r, file + ":13: timeout '0s' is zero");
        reports(r, file + ":17: timeout '99999999999999999999999s' is too long");
    }

    @Test
    void anUnclosedFenceIsAProblemAtItsOpeningLine() throws Exception {
        Path dir = lesson("fence", STEP + """

                ## Step: Unclosed

                ```sh check
                true
                """);
        reports(lint(dir), dir.resolve("01-a.md") + ":18: the code block opened here with ``` is never closed");
    }
}
