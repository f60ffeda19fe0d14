package dev.ssilab.step;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets another thread (the tutor's Ctrl-C handler) stop the command that is running now, and only it.
 */
public final class Cancellation {
    private final AtomicReference<Process> running = new AtomicReference<>();
    /** The thread waiting for a command on a node: interrupting it closes its connection, which ends the command. */
    private final AtomicReference<Thread> waitingOnNode = new AtomicReference<>();
    private volatile boolean cancelled;

    void started(Process p) {
        cancelled = false;
        running.set(p);
    }

    void finished(Process p) {
        running.compareAndSet(p, null);
    }

    void startedOnNode(Thread t) {
        cancelled = false;
        waitingOnNode.set(t);
    }

    void finishedOnNode(Thread t) {
        waitingOnNode.compareAndSet(t, null);
        Thread.interrupted(); // a Ctrl-C that came as the command ended must not hit the next wait
    }

    boolean wasCancelled() {
        return cancelled;
    }

    /** Stops the running command and everything it started; returns false when nothing was running. */
    public boolean cancel() {
        Thread onNode = waitingOnNode.get();
        if (onNode != null) {
            cancelled = true;
            onNode.interrupt();
            return true;
        }
        Process p = running.get();
        if (p == null) {
            return false;
        }
        cancelled = true;
        ProcessTrees.destroy(p);
        return true;
    }
}
