package dev.ssilab.cluster.sim.shell;

/** A command of the node shell; returns its exit status. */
@FunctionalInterface
public interface Command {
    int run(Invocation inv) throws InterruptedException;
}
