package dev.ssilab.tutor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tutor's own commands, in one place: the names the tutor knows (any other input is run as a
 * shell command on the step's target), what Tab completes after them, and their rows on the help
 * screen. {@link Tutor}'s dispatch is a switch expression over these, so the compiler refuses a
 * command added here without an action there. Listed in the help screen's order.
 */
enum TutorCommand {
    RUN("run", false, "`run`", "runs the step's commands for you, showing each, then checks the step"),
    CHECK("check", false, "`check`", "checks the step again and says what is missing"),
    HINT("hint", false, "`hint`", "shows one more hint"),
    SOLVE("solve", false, "`solve`", "runs the solution, then shows it once the check passes"),
    ANSWER("answer", false, "`answer TEXT`", "answers a question step"),
    NEXT("next", false, "`next`, `back`", "the next step (once this one is done), the previous one"),
    BACK("back", false, null, null), // on next's row
    LESSONS("lessons", false, "`lessons`", "the lessons, with what you have done"),
    GOTO("goto", true, "`goto ID`", "jumps to a lesson"),
    STATUS("status", false, "`status`", "where you are, your cluster and backend"),
    RESET("reset", true, "`reset [ID]`", "forgets your progress in one lesson, or in the whole course"),
    QUIT("quit", false, "`quit`", "saves and leaves; `ssilab` brings you back here"),
    // Not on the help screen: help is how the learner got there, exit is quit for shell habits.
    HELP("help", false, null, null),
    EXIT("exit", false, null, null);

    private final String word;
    private final boolean takesLessonId;
    private final String usage;
    private final String does;

    TutorCommand(String word, boolean takesLessonId, String usage, String does) {
        this.word = word;
        this.takesLessonId = takesLessonId;
        this.usage = usage;
        this.does = does;
    }

    /** The word the learner types. */
    String word() {
        return word;
    }

    /** True when a lesson id may follow, so Tab completes lesson ids after it. */
    boolean takesLessonId() {
        return takesLessonId;
    }

    static Optional<TutorCommand> named(String word) {
        return Arrays.stream(values()).filter(c -> c.word.equals(word)).findFirst();
    }

    /** The help screen's rows, in order: {usage, does} as markdown. */
    static List<Map<String, String>> helpRows() {
        return Arrays.stream(values()).filter(c -> c.usage != null).map(c -> Map.of("usage", c.usage, "does", c.does)).toList();
    }

    /** A line the learner typed: one of these commands and the rest of the line, or (command null) a shell line. */
    record Typed(TutorCommand command, String argument) {
        static Typed parse(String line) {
            String s = line.strip();
            int sp = s.indexOf(' ');
            String word = sp < 0 ? s : s.substring(0, sp);
            String rest = sp < 0 ? "" : s.substring(sp + 1).strip();
            return named(word).map(c -> new Typed(c, rest)).orElseGet(() -> new Typed(null, s));
        }

        boolean isShell() {
            return command == null;
        }
    }
}
