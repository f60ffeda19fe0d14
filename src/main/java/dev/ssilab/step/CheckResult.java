package dev.ssilab.step;

import java.util.List;

/**
 * The verdict of a step's check blocks.
 *
 * @param failLines what the check explained, from its lines starting "FAIL:" (without the prefix)
 */
public record CheckResult(boolean passed, int exitCode, List<String> failLines, String output) {

    public CheckResult {
        failLines = List.copyOf(failLines);
    }

    public boolean timedOut() {
        return exitCode == dev.ssilab.cluster.ExecResult.TIMED_OUT;
    }

    /** One line for the learner when the check did not explain itself. */
    public String summary() {
        if (passed) {
            return "check passed";
        }
        if (!failLines.isEmpty()) {
            return failLines.get(0);
        }
        if (timedOut()) {
            return "the check did not finish in time";
        }
        return "the check exited with status " + exitCode;
    }
}
