package dev.ssilab.step;

/**
 * How the commands of a step ended, as the presenters see it: the exit status and what they printed.
 * The step package's own type, so a screen never reaches into the cluster package for a backend's.
 */
public record RunResult(int exitCode, String output) {
    static RunResult of(dev.ssilab.cluster.ExecResult r) {
        return new RunResult(r.exitCode(), r.output());
    }

    public boolean passed() {
        return exitCode == 0;
    }

    public boolean timedOut() {
        return exitCode == dev.ssilab.cluster.ExecResult.TIMED_OUT;
    }
}
