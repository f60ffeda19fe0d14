package dev.ssilab.tutor;

import java.util.List;

/** The tutor's own commands; any other input is run as a shell command on the step's target. */
final class Commands {
    private Commands() {}

    static final List<String> NAMES = List.of(
            "next", "back", "run", "check", "hint", "solve", "answer", "lessons", "goto", "status", "reset",
            "help", "quit", "exit");

    /** A command the learner typed: its name and the rest of the line. */
    record Typed(String name, String argument) {
        static Typed parse(String line) {
            String s = line.strip();
            int sp = s.indexOf(' ');
            String word = sp < 0 ? s : s.substring(0, sp);
            String rest = sp < 0 ? "" : s.substring(sp + 1).strip();
            return NAMES.contains(word) ? new Typed(word, rest) : new Typed(null, s);
        }

        boolean isShell() {
            return name == null;
        }
    }
}
