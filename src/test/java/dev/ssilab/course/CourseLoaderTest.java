package dev.ssilab.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CourseLoaderTest {
    static final Path COURSES = Path.of("src/test/resources/courses").toAbsolutePath();
    final CourseLoader loader = new CourseLoader(new TemplateEngine(Path.of("content").toAbsolutePath()));
    final java.util.Map<String, Object> vars = CourseVariables.forLint("sim", Path.of(".").toAbsolutePath()).model();

    @Test
    void loadsLessonsStepsBlocksAndHintsInFileOrder() {
        Course c = loader.load(COURSES.resolve("good"), vars);
        assertEquals(List.of("first", "second"), c.ids());
        Lesson first = c.lessons().get(0);
        assertEquals("First lesson", first.title());
        assertTrue(first.intro().contains("/tmp/ssilab-work"), "intro is rendered with the variables: " + first.intro());
        Step make = first.steps().get(0);
        assertEquals("Make a file", make.title());
        assertEquals(7, make.line());
        assertEquals(List.of(Role.RUN, Role.CHECK), make.blocks().stream().map(Block::role).toList());
        assertEquals("echo hello >made.txt\n", make.blocks().get(0).code());
        assertEquals(9, make.blocks().get(0).line());
        assertEquals(2, make.hints().size());
        assertEquals("`echo hello >made.txt`", make.hints().get(1));
        assertTrue(make.prose().contains("echo hello >made.txt"), "run blocks stay in the prose");
        assertTrue(!make.prose().contains("test -f made.txt"), "check blocks are hidden from the prose");
        assertEquals(List.of("first"), c.lessons().get(1).requires());
        assertTrue(c.lessons().get(1).runsOn("uml"));
        assertTrue(first.runsOn("uml"), "a lesson naming no backend runs anywhere");
    }

    @Test
    void solutionDefaultsToRunBlocks() {
        Course c = loader.load(COURSES.resolve("good"), vars);
        Step make = c.lessons().get(0).steps().get(0);
        assertEquals(make.blocks(Role.RUN), make.solution());
        Step answer = c.lessons().get(0).steps().get(1);
        assertTrue(answer.isQuestion());
        assertEquals("yes", answer.answer());
    }

    @Test
    void lintReportsEveryProblemWithFileAndLine() {
        Path dir = COURSES.resolve("broken");
        List<String> problems = loader.lint(dir, vars).stream().map(Problem::toString).toList();
        String all = String.join("\n", problems);
        assertContains(all, dir.resolve("01-roles.md") + ":11: unknown role 'chek'");
        assertContains(all, dir.resolve("01-roles.md") + ":5: step 'Unknown role' has no check block");
        assertContains(all, dir.resolve("01-roles.md") + ":15: step 'No check here' has no check block");
        assertContains(all, dir.resolve("02-requires.md") + ":4: requires 'ghost', which is no lesson of this course");
        assertContains(all, dir.resolve("03-template.md") + ":8: template error: ${no_such_variable} is not defined");
        assertContains(all, dir.resolve("04-duplicate.md") + ":2: duplicate lesson id 'roles'");
        assertContains(all, dir.resolve("05-attributes.md") + ":4: unknown front matter key 'colour'");
        assertContains(all, dir.resolve("05-attributes.md") + ":6: 'run' block is outside a step");
        assertContains(all, dir.resolve("05-attributes.md") + ":12: bad target 'on=node:16'");
        assertContains(all, dir.resolve("05-attributes.md") + ":16: bad timeout 'soon'");
        assertContains(all, dir.resolve("05-attributes.md") + ":16: unknown attribute 'flavour'");
    }

    @Test
    void loadingAnInvalidCourseRefusesWithTheSameMessages() {
        InvalidCourseException e = assertThrows(InvalidCourseException.class, () -> loader.load(COURSES.resolve("broken"), vars));
        assertEquals(loader.lint(COURSES.resolve("broken"), vars).size(), e.problems().size());
        assertContains(e.getMessage(), "unknown role 'chek'");
    }

    @Test
    void attributesParseTargetsAndTimeouts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("01-x.md"), """
                ---
                id: x
                title: X
                ---
                ## Step: On a node

                ```sh run on=node:3 timeout=90s
                cluster -v
                ```

                ```check on=node:2 timeout=500ms
                true
                ```
                """);
        Step s = loader.load(dir, vars).lessons().get(0).steps().get(0);
        assertEquals(new Target.Node(3), s.blocks().get(0).target());
        assertEquals(Duration.ofSeconds(90), s.blocks().get(0).timeout());
        assertEquals(Duration.ofMillis(500), s.blocks().get(1).timeout());
        assertEquals("sh", s.blocks().get(1).language());
    }

    @Test
    void missingFrontMatterAndEmptyFolderAreReported(@TempDir Path dir) throws Exception {
        assertThrows(dev.ssilab.state.UserError.class, () -> loader.lint(dir, vars));
        Files.writeString(dir.resolve("01-x.md"), "# no front matter\n");
        assertContains(String.join("\n", loader.lint(dir, vars).stream().map(Problem::toString).toList()),
                "01-x.md:1: missing front matter");
    }

    @Test
    void requiringALaterLessonIsReported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("01-a.md"), "---\nid: a\ntitle: A\nrequires: [b]\n---\n## Step: s\n```sh run\ntrue\n```\n```sh check\ntrue\n```\n");
        Files.writeString(dir.resolve("02-b.md"), "---\nid: b\ntitle: B\n---\n## Step: s\n```sh run\ntrue\n```\n```sh check\ntrue\n```\n");
        assertContains(loader.lint(dir, vars).get(0).toString(), "01-a.md:4: requires 'b', which does not come before this lesson");
    }

    @Test
    void aBackendsQuoteLimitsAStepAndSaysWhatTheOtherBackendShows(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("01-x.md"), """
                ---
                id: x
                title: X
                ---
                ## Step: Move it

                > **Backends:** sim
                > On uml the process stays where it is: real nodes cannot move a process yet.

                ```sh run
                true
                ```

                ```sh check
                true
                ```
                """);
        Step s = loader.load(dir, vars).lessons().get(0).steps().get(0);
        assertEquals(List.of("sim"), s.backends());
        assertTrue(s.runsOn("sim") && !s.runsOn("uml"));
        assertEquals("On uml the process stays where it is: real nodes cannot move a process yet.", s.elsewhere());
        assertTrue(s.prose().contains("**Backends:** sim"), "the learner reads it too: " + s.prose());
        assertTrue(!s.narration().contains("```sh run"), "auto-play types the run block instead of showing it: " + s.narration());
    }

    @Test
    void lintReportsBadBackendsQuotesAndAnswerBlocks(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("01-x.md"), """
                ---
                id: x
                title: X
                ---
                ## Step: Bad quotes

                > **Backends:** vms

                ```sh run
                true
                ```

                ```sh check
                true
                ```

                ## Step: A question with a solve block

                ```text answer
                b
                ```

                ```sh solve
                true
                ```

                ```sh check
                true
                ```
                """);
        String all = String.join("\n", loader.lint(dir, vars).stream().map(Problem::toString).toList());
        assertContains(all, "01-x.md:7: unknown backend 'vms' in the Backends quote (use sim, uml)");
        assertContains(all, "01-x.md:7: the Backends quote does not say what happens on the other backends");
        assertContains(all, "01-x.md:19: step 'A question with a solve block' has an answer block and also a solve block");
    }

    @Test
    void aQuestionStepNeedsNoRunBlockAndKnowsItsAnswer(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("01-x.md"), "---\nid: x\ntitle: X\n---\n## Step: Q\n```text answer\nb\n```\n```sh check\ntrue\n```\n");
        assertEquals(List.of(), loader.lint(dir, vars));
        Step s = loader.load(dir, vars).lessons().get(0).steps().get(0);
        assertTrue(s.isQuestion());
        assertEquals("b", s.answer());
    }

    @Test
    void aTemplateThatTriesToRunAProgramIsRefusedByLintAndRunsNothing(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("ran");
        Files.writeString(dir.resolve("01-x.md"), "---\nid: x\ntitle: X\n---\n\n"
                + "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"touch " + marker + "\")}\n"
                + "## Step: s\n```sh run\ntrue\n```\n```sh check\ntrue\n```\n");
        String all = String.join("\n", loader.lint(dir, vars).stream().map(Problem::toString).toList());
        assertContains(all, "01-x.md:6: template error:");
        assertContains(all, "not allowed");
        assertTrue(!Files.exists(marker), "the template ran a program");
    }

    @Test
    void shippedCourseIsValid() {
        assertEquals(List.of(), loader.lint(Path.of("lessons").toAbsolutePath(), vars));
    }

    static void assertContains(String haystack, String needle) {
        assertTrue(haystack.contains(needle), "expected to find\n  " + needle + "\nin\n" + haystack);
    }
}
