package dev.ssilab.cluster;

import dev.ssilab.state.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The manager's node bookkeeping: which nodes of its backend are up, adding and crashing them, and
 * the registry's record of it. Membership changes (add, crash, a node that ended by itself, the
 * shutdown) hold this object's lock, so the state file always matches the backend; questions about
 * one node (exec and console ask them) do not wait for a change.
 */
final class ManagedNodes {
    private final Registry registry;
    private final int id;
    private final ClusterBackend backend;
    private final ManagerLog log;
    private ClusterState state;
    private volatile boolean closed;

    ManagedNodes(Registry registry, int id, ClusterState state, ClusterBackend backend, ManagerLog log) {
        this.registry = registry;
        this.id = id;
        this.state = state;
        this.backend = backend;
        this.log = log;
    }

    /** Records that the cluster is running, served on {@code socket}, with the nodes up now. */
    synchronized void running(Path socket) {
        state = registry.update(id, s -> s.running(socket, upNodes()));
    }

    /**
     * Boots the given nodes that are not up; the ones up already are skipped, as the 2002 scripts did,
     * and refused only when that leaves nothing to boot. Answers the nodes up now, then (second line)
     * the nodes skipped.
     */
    synchronized String add(List<Integer> nodes) {
        checkNotStopping();
        Map<Integer, NodeStatus> known = statusByNode();
        Set<Integer> seen = new HashSet<>();
        List<Integer> skipped = new ArrayList<>();
        List<Integer> toBoot = new ArrayList<>();
        for (int node : nodes) {
            ClusterArgs.checkNodeRange(node);
            if (!seen.add(node)) {
                throw new UserError("node " + node + " is given twice (give each node once)");
            }
            NodeStatus status = known.get(node);
            if (status != null && status.state().isUp()) {
                skipped.add(node);
                continue;
            }
            if (status != null && status.state() != NodeState.NEVERUP && status.state() != NodeState.DOWN) {
                throw new UserError("node " + node + " of cluster " + id + " is " + status.state()
                        + ", not down; add it again once it is DOWN");
            }
            toBoot.add(node);
        }
        if (toBoot.isEmpty()) {
            throw new UserError((skipped.size() == 1 ? "node " + skipped.get(0) + " is" : "nodes " + ClusterMessages.join(skipped) + " are")
                    + " already up in cluster " + id + " (nodes up: " + ClusterMessages.join(upNodes()) + ")");
        }
        try {
            SwapFiles.ensure(state.root(), toBoot, state.swapMb());
            backend.boot(toBoot);
            log.line("added nodes " + ClusterMessages.join(toBoot)
                    + (skipped.isEmpty() ? "" : " (skipped, already up: " + ClusterMessages.join(skipped) + ")"));
        } finally {
            recordMembership();
        }
        return ClusterMessages.join(upNodes()) + "\n" + ClusterMessages.join(skipped);
    }

    synchronized CrashReport crash(int node) {
        checkNotStopping();
        ClusterArgs.checkNodeRange(node);
        List<Integer> up = upNodes();
        if (!up.contains(node)) {
            throw new UserError("node " + node + " is not up in cluster " + id + " (nodes up: " + ClusterMessages.join(up) + ")");
        }
        if (up.size() == 1) {
            throw new UserError("node " + node + " is the only node up in cluster " + id
                    + " and the last node cannot be removed (ssi-stop " + id + " ends the cluster)");
        }
        try {
            CrashReport report = backend.crash(node);
            log.line("crashed node " + node + ", services moved: " + report.servicesMovedTo());
            return report;
        } finally {
            recordMembership();
        }
    }

    /** Records the membership after a node ended by itself; nothing once the cluster is stopping. */
    synchronized void nodeEnded() {
        if (closed) {
            return;
        }
        try {
            recordMembership();
            log.line("a node ended by itself; nodes up: " + ClusterMessages.join(state.nodesUp()));
        } catch (RuntimeException e) {
            log.line("cannot record the membership after a node ended:\n" + ManagerLog.stackTrace(e));
        }
    }

    /**
     * Runs {@code first} (closing the manager's socket), then ends every node; both under the
     * membership lock, so no add or crash is half done when the nodes go. Safe to call more than once.
     */
    synchronized void shutDown(Runnable first) {
        first.run();
        if (!closed) {
            closed = true;
            try {
                backend.close();
            } catch (RuntimeException e) {
                log.line("backend close failed:\n" + ManagerLog.stackTrace(e));
            }
        }
    }

    /** True once the backend is closed (or being closed): the cluster is stopping. */
    boolean closed() {
        return closed;
    }

    /** Refuses a request for node N unless it is up. */
    void checkUp(int node) {
        checkNotStopping();
        ClusterArgs.checkNodeRange(node);
        NodeStatus status = statusByNode().get(node);
        if (status == null || !status.state().isUp()) {
            throw new UserError("node " + node + " is not up in cluster " + id + " (nodes up: " + ClusterMessages.join(upNodes()) + ")");
        }
    }

    /** Whether node N is up; false when the backend cannot say (it is being closed). */
    boolean isUp(int node) {
        try {
            NodeStatus status = statusByNode().get(node);
            return status != null && status.state().isUp();
        } catch (RuntimeException closing) {
            return false;
        }
    }

    private void checkNotStopping() {
        if (closed) {
            throw new UserError("cluster " + id + " is stopping");
        }
    }

    private void recordMembership() {
        List<Integer> up = upNodes();
        state = registry.update(id, s -> s.withNodesUp(up));
    }

    private List<Integer> upNodes() {
        List<Integer> up = new ArrayList<>();
        for (NodeStatus s : backend.nodes()) {
            if (s.state().isUp()) {
                up.add(s.node());
            }
        }
        up.sort(null);
        return up;
    }

    private Map<Integer, NodeStatus> statusByNode() {
        Map<Integer, NodeStatus> byNode = new TreeMap<>();
        backend.nodes().forEach(s -> byNode.put(s.node(), s));
        return byNode;
    }
}
