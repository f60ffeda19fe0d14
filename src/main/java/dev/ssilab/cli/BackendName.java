package dev.ssilab.cli;

import dev.ssilab.state.UserError;

/**
 * Checks a {@code --backend} value the learner typed. An empty one ({@code --backend ''}, often an
 * unset shell variable) is refused rather than read as "the default", so a script that meant uml does
 * not quietly get the simulator.
 */
final class BackendName {
    private BackendName() {}

    /** A backend named by the course commands: sim or uml. */
    static String check(String typed) {
        String b = notEmpty(typed);
        if (!b.equals("sim") && !b.equals("uml")) {
            throw new UserError("unknown backend '" + typed + "' (use --backend sim or --backend uml)");
        }
        return b;
    }

    /** Any non-empty name (cluster start also knows the test suite's backends); the cluster layer checks it exists. */
    static String notEmpty(String typed) {
        if (typed.isBlank()) {
            throw new UserError("--backend is empty (use --backend sim or --backend uml)");
        }
        return typed.strip();
    }
}
