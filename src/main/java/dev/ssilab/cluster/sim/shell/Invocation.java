package dev.ssilab.cluster.sim.shell;

import dev.ssilab.cluster.sim.model.ConsoleInput;
import dev.ssilab.cluster.sim.model.Input;
import dev.ssilab.cluster.sim.model.SimCluster;
import dev.ssilab.cluster.sim.model.SimProcess;
import dev.ssilab.cluster.sim.model.Sink;
import java.util.List;

/**
 * One run of a command: its words, the node it runs on, its output/error/input, and its process
 * (null for a shell builtin, which runs inside the shell).
 */
public record Invocation(NodeShell shell, List<String> argv, int node, boolean pinned, Sink out, Sink err, Input in,
        SimProcess proc, ConsoleInput terminalInput) {

    public String name() {
        return argv.get(0);
    }

    public List<String> args() {
        return argv.subList(1, argv.size());
    }

    public SimCluster cluster() {
        return shell.cluster();
    }

    public void print(String text) throws InterruptedException {
        out.write(text);
    }

    /** Prints "NAME: message" on the error output and returns the status, for {@code return inv.fail(1, ...)}. */
    public int fail(int status, String message) throws InterruptedException {
        err.write(name() + ": " + message + "\n");
        return status;
    }

    /** A decimal integer argument (a pid, a node, a status), or null. */
    public static Integer number(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The simulator's one answer to what it does not model. */
    public int notModelled(String what) throws InterruptedException {
        err.write("ssilab sim: " + what + " is not modelled by the simulator\n");
        return 127;
    }
}
