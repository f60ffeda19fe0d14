package dev.ssilab.step;

import dev.ssilab.course.Target;
import java.util.HashMap;
import java.util.Map;

/**
 * The folder the learner's typed lines are in, per target (the host, each node): a typed {@code cd}
 * carries over to the next typed line on that target, as in a shell. Step blocks are not affected:
 * they always start in the workdir (host) or the node's default folder.
 */
public final class ShellDirs {
    private final Map<Target, String> dirs = new HashMap<>();

    /** The folder typed lines on {@code target} run in; null for the default (the workdir, the node's home). */
    public String get(Target target) {
        return dirs.get(target);
    }

    void set(Target target, String dir) {
        if (dir == null || dir.isBlank()) {
            dirs.remove(target);
        } else {
            dirs.put(target, dir.strip());
        }
    }

    /** The folder as a prompt shows it: relative to the workdir on the host, {@code nodeN:DIR} on a node; "" for the default. */
    public String shown(Target target, java.nio.file.Path workdir) {
        String dir = dirs.get(target);
        if (dir == null) {
            return "";
        }
        if (target instanceof Target.Node n) {
            return "node" + n.number() + ":" + dir;
        }
        String w = workdir.toString();
        if (dir.equals(w)) {
            return "";
        }
        return dir.startsWith(w + "/") ? dir.substring(w.length() + 1) : dir;
    }
}
