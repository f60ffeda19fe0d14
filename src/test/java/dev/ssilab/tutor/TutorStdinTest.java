package dev.ssilab.tutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cli.SsilabProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real tutor through a pipe, as scripts and CI do. */
class TutorStdinTest {
    static final String COURSE = Path.of("src/test/resources/courses/good").toAbsolutePath().toString();

    @TempDir
    Path tmp;

    SsilabProcess ssilab() {
        return new SsilabProcess(tmp);
    }

    @Test
    void runChecksAndAdvancesThenResumesWhereTheLearnerLeft() throws Exception {
        var first = ssilab().run("next\nrun\nanswer no\nanswer yes\nquit\n", "--course", COURSE);
        assertEquals(0, first.exit(), first.err());
        String out = first.out();
        assertTrue(out.contains("Welcome to ssilab"), out);
        assertTrue(out.contains("This step is not done yet"), "next is refused before the check passes: " + out);
        assertTrue(out.contains("$ echo hello >made.txt"), "run shows the command: " + out);
        assertTrue(out.contains("✔ Step done: Make a file"), out);
        assertTrue(out.contains("Step 2/2: Answer a question"), "the tutor advanced: " + out);
        assertTrue(out.contains("the answer is not yes"), "a failed check shows its FAIL line: " + out);
        assertTrue(out.contains("✔ Step done: Answer a question"), out);
        assertTrue(out.contains("Second lesson"), "the next lesson starts: " + out);
        assertTrue(Files.exists(tmp.resolve("data/ssilab/work/made.txt")), "run ran in the workdir");

        var second = ssilab().run("status\nquit\n", "--course", COURSE);
        assertTrue(second.out().contains("Welcome back"), second.out());
        assertTrue(second.out().contains("Lesson 2/2: Second lesson"), second.out());
        assertTrue(second.out().contains("ssilab second 1/1> status"), second.out());
    }

    @Test
    void answerOnAStepThatIsNoQuestionSaysSoAndSolveOfAQuestionShowsTheAnswerTyped() throws Exception {
        var r = ssilab().run("answer yes\nrun\nrun\nsolve\nquit\n", "--course", COURSE);
        String out = r.out();
        assertTrue(out.contains("This step is not a question"), out);
        assertTrue(out.contains("This step is a question: type answer"), "run on a question says how to answer: " + out);
        assertTrue(out.contains("The answer was:") && out.contains("answer yes"), "solve shows what the learner would type: " + out);
        assertTrue(out.contains("✔ Step done: Answer a question"), out);
    }

    @Test
    void aTypedCdCarriesOverToTheNextTypedLineAndShowsInThePrompt() throws Exception {
        var r = ssilab().run("mkdir -p sub/deeper\ncd sub\npwd\ncd deeper\necho hello >made.txt\nquit\n", "--course", COURSE);
        String out = r.out();
        assertTrue(out.contains("/work/sub\n"), "pwd ran in the folder of the earlier cd: " + out);
        assertTrue(out.contains("ssilab first 1/2 sub> "), "the prompt shows the folder: " + out);
        assertTrue(Files.exists(tmp.resolve("data/ssilab/work/sub/deeper/made.txt")), "the file was made where the learner cd'ed: " + out);
    }

    @Test
    void aShellCommandTypedAtThePromptRunsAndIsChecked() throws Exception {
        var r = ssilab().run("echo hello >made.txt\nquit\n", "--course", COURSE);
        assertTrue(r.out().contains("✔ Step done: Make a file"), r.out());
        assertTrue(r.out().contains("Step 2/2"), r.out());
    }

    @Test
    void hintsComeOneAtATimeAndSolveShowsTheSolutionAfterThePass() throws Exception {
        var r = ssilab().run("hint\nhint\nhint\nsolve\nquit\n", "--course", COURSE);
        String out = r.out();
        assertTrue(out.contains("Hint 1/2: use echo and a redirection"), out);
        assertTrue(out.contains("Hint 2/2"), out);
        assertTrue(out.contains("No more hints (2 shown)"), out);
        assertTrue(out.contains("The solution was:"), out);
        assertTrue(out.indexOf("✔ Step done") < out.indexOf("The solution was:"), "shown after the pass: " + out);
    }

    @Test
    void badCommandsGetOneLineAndTheLoopGoesOn() throws Exception {
        var r = ssilab().run("goto nowhere\nlessons\ngoto second\nback\nreset first\nquit\n", "--course", COURSE);
        String out = r.out();
        assertTrue(out.contains("ssilab: no lesson 'nowhere' (type lessons to see them all)"), out);
        assertTrue(out.contains("▶ **Second lesson**") || out.contains("1. ▶ First lesson"), out);
        assertTrue(out.contains("Note: 'second' builds on 'first', which you have not finished"), out);
        assertTrue(out.contains("Progress in 'first' forgotten."), out);
        assertEquals(0, r.exit());
    }

    @Test
    void corruptProgressIsReportedAndSetAside() throws Exception {
        Path progress = tmp.resolve("state/ssilab/progress.properties");
        Files.createDirectories(progress.getParent());
        Files.writeString(progress, "garbage without version\n");
        var r = ssilab().run("quit\n", "--course", COURSE);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("your saved progress could not be read"), r.out());
        assertTrue(r.out().contains("Welcome to ssilab"), r.out());
    }

    @Test
    void invalidCourseIsRefusedWithFileAndLine() throws Exception {
        var r = ssilab().run("", "--course", Path.of("src/test/resources/courses/broken").toAbsolutePath().toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("01-roles.md:11: unknown role 'chek'"), r.err());
    }
}
