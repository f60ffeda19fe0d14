package dev.ssilab.step;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Ends a process and its descendants: TERM first, KILL for what is left after a grace period. */
final class ProcessTrees {
    private ProcessTrees() {}

    static void destroy(Process p) {
        List<ProcessHandle> tree = p.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
