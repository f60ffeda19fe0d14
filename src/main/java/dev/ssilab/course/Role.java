package dev.ssilab.course;

import java.util.Locale;
import java.util.Optional;

/** What a fenced block in a lesson is for. */
public enum Role {
    /** What the learner is asked to do; `run` in the tutor executes it for them. */
    RUN,
    /** Must exit 0 for the step to pass; lines it prints starting "FAIL:" are shown to the learner. */
    CHECK,
    /** What auto-play and the course tests execute; defaults to the run blocks. */
    SOLVE,
    /** Runs silently when the step is entered. */
    SETUP,
    /** Runs after the step passed (and at the end of a course test), e.g. to stop what the step started. */
    CLEANUP,
    /** Expected output: shown to the learner and used by the HOWTO export; never executed. */
    OUTPUT,
    /**
     * The accepted answer of a question step, one line: the tutor's {@code solve}, auto-play and the
     * course test "type" {@code answer TEXT} with it; the check still judges the learner's answer file.
     */
    ANSWER;

    public static Optional<Role> parse(String word) {
        for (Role r : values()) {
            if (r.name().toLowerCase(Locale.ROOT).equals(word)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean executable() {
        return this != OUTPUT && this != ANSWER;
    }
}
