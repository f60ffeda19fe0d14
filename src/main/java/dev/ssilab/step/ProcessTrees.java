package dev.ssilab.step;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Ends every process of process group {@code group} (TERM, then KILL after a grace period). The
     * group outlives its leader while members are left, and its id is not reused meanwhile, so this
     * cannot hit a stranger. Does nothing where /proc cannot tell groups.
     */
    static void destroyGroup(long group) {
        List<ProcessHandle> members = members(group);
        if (members.isEmpty()) {
            return;
        }
        members.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (members.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // poll: these are not our children, onExit would not fire for all
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        members(group).forEach(ProcessHandle::destroyForcibly);
    }

    private static List<ProcessHandle> members(long group) {
        return ProcessHandle.allProcesses().filter(h -> group(h.pid()) == group).toList();
    }

    /** The process group of {@code pid} from /proc/PID/stat (field 5); -1 when it cannot be read. */
    private static long group(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(after[2]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
