package dev.ssilab.cluster.sim;

/** A command of the node shell; returns its exit status. */
@FunctionalInterface
interface Command {
    int run(Invocation inv) throws InterruptedException;
}
