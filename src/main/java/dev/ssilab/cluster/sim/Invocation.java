package dev.ssilab.cluster.sim;

import java.util.List;

/**
 * One run of a command: its words, the node it runs on, its output/error/input, and its process
 * (null for a shell builtin, which runs inside the shell).
 */
record Invocation(NodeShell shell, List<String> argv, int node, boolean pinned, Sink out, Sink err, Input in,
        SimProcess proc, ConsoleInput terminalInput) {

    String name() {
        return argv.get(0);
    }

    List<String> args() {
        return argv.subList(1, argv.size());
    }

    SimCluster cluster() {
        return shell.cluster();
    }

    void print(String text) throws InterruptedException {
        out.write(text);
    }

    /** Prints "NAME: message" on the error output and returns the status, for {@code return inv.fail(1, ...)}. */
    int fail(int status, String message) throws InterruptedException {
        err.write(name() + ": " + message + "\n");
        return status;
    }

    /** The simulator's one answer to what it does not model. */
    int notModelled(String what) throws InterruptedException {
        err.write("ssilab sim: " + what + " is not modelled by the simulator\n");
        return 127;
    }
}
