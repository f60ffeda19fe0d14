package dev.ssilab.cluster.sim.model;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The MosixLL-style load leveler: off by default; when on for a node, every period that node, if
 * overloaded (its load above the least loaded UP node's by more than one), moves its heaviest eligible
 * process (started from bash-ll or named in /cluster/etc/loadlevellist, not pinned) there.
 * A node's load is the summed CPU demand of its processes (a busy yes counts 1, a sleeper 0).
 */
public final class LoadLeveler {
    static final String LIST = "/cluster/etc/loadlevellist";

    private final SimCluster c;
    private boolean allOn;
    private final Map<Integer, Boolean> perNode = new HashMap<>();

    LoadLeveler(SimCluster c) {
        this.c = c;
    }

    public void setAll(boolean on) {
        synchronized (c) {
            allOn = on;
            perNode.clear();
        }
    }

    public void setNode(int node, boolean on) {
        synchronized (c) {
            perNode.put(node, on);
        }
    }

    public boolean isOn(int node) {
        synchronized (c) {
            return perNode.getOrDefault(node, allOn);
        }
    }

    /** Load per UP node, lowest node first. */
    public Map<Integer, Double> loads() {
        synchronized (c) {
            Map<Integer, Double> loads = new TreeMap<>();
            for (int n : c.membership.upNodes()) {
                loads.put(n, 0.0);
            }
            for (SimProcess p : c.processes()) {
                loads.computeIfPresent(p.node, (n, l) -> l + p.cpu);
            }
            return loads;
        }
    }

    private Set<String> listedNames() {
        Set<String> names = new HashSet<>();
        try {
            for (String line : c.fs.read(LIST).split("\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    names.add(t.substring(t.lastIndexOf('/') + 1));
                }
            }
        } catch (SharedFs.FsError e) {
            // no list: only bash-ll's processes are eligible
        }
        return names;
    }

    /** One balancing round (run periodically on the scheduler). */
    void balance() {
        synchronized (c) {
            if (c.closed()) {
                return;
            }
            Map<Integer, Double> loads = loads();
            Set<String> listed = listedNames();
            List<SimProcess> all = c.processes();
            for (int src : loads.keySet()) {
                if (!isOn(src)) {
                    continue;
                }
                int dst = -1;
                for (Map.Entry<Integer, Double> e : loads.entrySet()) {
                    if (e.getKey() != src && isOn(e.getKey()) && (dst < 0 || e.getValue() < loads.get(dst))) {
                        dst = e.getKey();
                    }
                }
                if (dst < 0 || loads.get(src) <= loads.get(dst) + 1.0) {
                    continue;
                }
                SimProcess heaviest = null;
                for (SimProcess p : all) {
                    if (p.alive && p.node == src && p.cpu > 0 && !p.pinned && p.pid != SimCluster.INIT_PID
                            && (p.loadLevelEligible || listed.contains(p.name()))
                            && (heaviest == null || p.cpu > heaviest.cpu)) {
                        heaviest = p;
                    }
                }
                if (heaviest != null) {
                    heaviest.node = dst;
                    loads.put(src, loads.get(src) - heaviest.cpu);
                    loads.put(dst, loads.get(dst) + heaviest.cpu);
                    String note = "ssilab sim: load leveler moved pid " + heaviest.pid + " (" + heaviest.name() + ") from node "
                            + src + " to node " + dst + "\n";
                    c.scheduler.execute(() -> c.console(src).log(note));
                }
            }
            c.notifyAll();
        }
    }
}
