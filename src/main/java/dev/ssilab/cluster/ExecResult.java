package dev.ssilab.cluster;

/** The end of a command run on a node: its exit status and everything it printed. */
public record ExecResult(int exitCode, String output) {
    /** Exit status of a command ended by its timeout (as coreutils' timeout uses). */
    public static final int TIMED_OUT = 124;

    public boolean timedOut() {
        return exitCode == TIMED_OUT;
    }
}
