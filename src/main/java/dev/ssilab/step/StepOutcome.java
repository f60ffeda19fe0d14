package dev.ssilab.step;

/** How one step fared in a course test. */
public sealed interface StepOutcome {
    String lesson();

    String step();

    record Passed(String lesson, String step, long millis) implements StepOutcome {}

    record Failed(String lesson, String step, String reason, String output, long millis) implements StepOutcome {}

    record Skipped(String lesson, String step, String reason) implements StepOutcome {}
}
