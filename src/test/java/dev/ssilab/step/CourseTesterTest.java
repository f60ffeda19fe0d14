package dev.ssilab.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CourseTesterTest {
    @TempDir
    Path tmp;

    private CourseWorkspace workspace(Path course, String backend) {
        return new CourseWorkspace(course, Path.of(".").toAbsolutePath(), backend, tmp.resolve("work"), ClusterAccess.NONE, false);
    }

    private String test(Path course, String backend, List<StepOutcome> into) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        into.addAll(new CourseTester(workspace(course, backend), new PrintStream(out, true, StandardCharsets.UTF_8)).test(List.of()));
        return out.toString(StandardCharsets.UTF_8);
    }

    private Path lesson(String name, String text) throws Exception {
        Path dir = tmp.resolve("course");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name), text);
        return dir;
    }

    @Test
    void goodCoursePassesEveryStepAndPrintsTheSummaryLine() {
        List<StepOutcome> outcomes = new java.util.ArrayList<>();
        String out = test(Path.of("src/test/resources/courses/good").toAbsolutePath(), "sim", outcomes);
        assertTrue(out.contains("PASS first / Make a file"), out);
        assertTrue(out.contains("PASS second / Append a line"), out);
        assertTrue(out.strip().endsWith("3 passed, 0 failed"), out);
    }

    @Test
    void aStepForAnotherBackendIsSkippedWithWhatTheLessonSaysAndAQuestionIsAnswered() throws Exception {
        Path course = lesson("01-a.md", """
                ---
                id: a
                title: A
                ---
                ## Step: Sim only

                > **Backends:** sim
                > On uml nothing moves yet. It says so.

                ```sh run
                touch made
                ```
                ```sh check
                test -f made
                ```

                ## Step: Question

                ```text answer
                b
                ```
                ```sh setup
                rm -f "$SSILAB_ANSWER_FILE"
                ```
                ```sh check
                grep -qx b "$SSILAB_ANSWER_FILE" 2>/dev/null
                ```
                """);
        List<StepOutcome> outcomes = new java.util.ArrayList<>();
        String out = test(course, "uml", outcomes);
        assertTrue(out.contains("SKIP a / Sim only: runs only on backend sim, not on uml (the lesson says: On uml nothing moves yet.)"), out);
        assertTrue(out.contains("PASS a / Question"), "a later step still runs: " + out);
        assertTrue(out.strip().endsWith("1 passed, 0 failed, 1 skipped"), out);
        outcomes.clear();
        assertTrue(test(course, "sim", outcomes).strip().endsWith("2 passed, 0 failed"));
    }

    @Test
    void stepThatStartsSolvedIsACourseBug() throws Exception {
        Path course = lesson("01-a.md", """
                ---
                id: a
                title: A
                ---
                ## Step: Already done
                ```sh run
                true
                ```
                ```sh check
                true
                ```
                """);
        List<StepOutcome> outcomes = new java.util.ArrayList<>();
        String out = test(course, "sim", outcomes);
        assertTrue(out.contains("FAIL a / Already done: check passes before the step is done"), out);
        assertTrue(out.strip().endsWith("0 passed, 1 failed"), out);
    }

    @Test
    void failingSolutionFailsTheStepAndSkipsTheRestWithReasons() throws Exception {
        Path course = lesson("01-a.md", """
                ---
                id: a
                title: A
                ---
                ## Step: Broken solution
                ```sh run
                echo about to fail
                exit 3
                ```
                ```sh check
                test -f never
                ```
                ## Step: Later
                ```sh run
                touch later
                ```
                ```sh check
                test -f later
                ```
                """);
        lesson("02-b.md", """
                ---
                id: b
                title: B
                requires: [a]
                ---
                ## Step: Needs a
                ```sh run
                touch b
                ```
                ```sh check
                test -f b
                ```
                """);
        List<StepOutcome> outcomes = new java.util.ArrayList<>();
        String out = test(course, "sim", outcomes);
        assertTrue(out.contains("FAIL a / Broken solution: solution failed with status 3"), out);
        assertTrue(out.contains("| about to fail"), "the failing step's output is shown: " + out);
        assertTrue(out.contains("SKIP a / Later: an earlier step failed"), out);
        assertTrue(out.contains("SKIP b: requires 'a', which did not pass"), out);
        assertTrue(out.strip().endsWith("0 passed, 1 failed, 2 skipped"), out);
    }

    @Test
    void lessonForAnotherBackendIsSkippedWithItsReason() throws Exception {
        Path course = lesson("01-a.md", """
                ---
                id: a
                title: A
                backends: [uml]
                ---
                ## Step: Real only
                ```sh run
                touch x
                ```
                ```sh check
                test -f x
                ```
                """);
        List<StepOutcome> outcomes = new java.util.ArrayList<>();
        String out = test(course, "sim", outcomes);
        assertTrue(out.contains("SKIP a: runs only on backend uml, not on sim"), out);
        assertTrue(out.strip().endsWith("0 passed, 0 failed, 1 skipped"), out);
    }

    @Test
    void checkFailLinesExplainTheFailure() throws Exception {
        Path course = lesson("01-a.md", """
                ---
                id: a
                title: A
                ---
                ## Step: Wrong solution
                ```sh run
                echo 1 >n
                ```
                ```sh check
                test "$(cat n 2>/dev/null)" = 2 || { echo "FAIL: n should hold 2"; exit 1; }
                ```
                """);
        List<StepOutcome> outcomes = new java.util.ArrayList<>();
        String out = test(course, "sim", outcomes);
        assertTrue(out.contains("FAIL a / Wrong solution: check fails after the solution: n should hold 2"), out);
    }

    @Test
    void timeoutEndsABlockAndItsChildren() throws Exception {
        Path course = lesson("01-a.md", """
                ---
                id: a
                title: A
                ---
                ## Step: Too slow
                ```sh run timeout=1s
                sleep 30; touch done
                ```
                ```sh check
                test -f done
                ```
                """);
        long start = System.nanoTime();
        List<StepOutcome> outcomes = new java.util.ArrayList<>();
        String out = test(course, "sim", outcomes);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(out.contains("FAIL a / Too slow: solution timed out"), out);
        assertTrue(seconds < 20, "the 30 s command was stopped by its 1 s timeout, took " + seconds + " s");
        assertTrue(!Files.exists(tmp.resolve("work/done")));
    }

    @Test
    void nodeBlocksWithoutAClusterFailWithAClearLine() throws Exception {
        Path course = lesson("01-a.md", """
                ---
                id: a
                title: A
                ---
                ## Step: On a node
                ```sh run on=node:2
                cluster
                ```
                ```sh check on=node:2
                cluster
                ```
                """);
        List<StepOutcome> outcomes = new java.util.ArrayList<>();
        String out = test(course, "sim", outcomes);
        assertTrue(out.contains("FAIL a / On a node: this step runs on node 2, but no cluster is running"), out);
    }

    @Test
    void junitXmlHasOneCasePerStep() throws Exception {
        List<StepOutcome> outcomes = new java.util.ArrayList<>();
        test(Path.of("src/test/resources/courses/good").toAbsolutePath(), "sim", outcomes);
        Path xml = tmp.resolve("report.xml");
        JUnitReport.write(xml, outcomes);
        String text = Files.readString(xml);
        assertEquals(3, text.split("<testcase ", -1).length - 1, text);
        assertTrue(text.contains("<testsuite name=\"first\" tests=\"2\" failures=\"0\""), text);
    }
}
