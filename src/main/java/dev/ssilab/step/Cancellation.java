package dev.ssilab.step;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets another thread (the tutor's Ctrl-C handler) stop the command that is running now, and only it.
 */
public final class Cancellation {
    private final AtomicReference<Process> running = new AtomicReference<>();
    private volatile boolean cancelled;

    void started(Process p) {
        cancelled = false;
        running.set(p);
    }

    void finished(Process p) {
        running.compareAndSet(p, null);
    }

    boolean wasCancelled() {
        return cancelled;
    }

    /** Stops the running command and everything it started; returns false when nothing was running. */
    public boolean cancel() {
        Process p = running.get();
        if (p == null) {
            return false;
        }
        cancelled = true;
        ProcessTrees.destroy(p);
        return true;
    }
}
