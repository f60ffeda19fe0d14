package dev.ssilab.cluster.sim.model;

import dev.ssilab.cluster.CrashReport;
import dev.ssilab.cluster.NodeState;
import dev.ssilab.state.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CLMS, the cluster membership service: boots nodes (the first one up gets init, keepalive and every
 * centralized service) and handles a crash (the node's processes die with SIGKILL, its services fail
 * over to the lowest surviving node). Takes the cluster's lock; logs to the consoles outside it.
 */
public final class Clms {
    private final SimCluster c;

    Clms(SimCluster c) {
        this.c = c;
    }

    static void checkRange(int node) {
        if (node < 1 || node > Membership.MAX_NODE) {
            throw new UserError("node " + node + " is out of range; node numbers go from 1 to " + Membership.MAX_NODE);
        }
    }

    public void boot(List<Integer> nodes) {
        List<Integer> booted = new ArrayList<>();
        synchronized (c) {
            if (nodes.isEmpty()) {
                throw new UserError("no node to boot; give at least one node number from 1 to 15");
            }
            for (int n : nodes) {
                checkRange(n);
                NodeState s = c.membership.state(n);
                if (s != NodeState.NEVERUP && s != NodeState.DOWN) {
                    throw new UserError("node " + n + " of cluster " + c.id + " is already " + s
                            + "; only a node that is DOWN or has never been up can boot");
                }
            }
            if (nodes.stream().distinct().count() != nodes.size()) {
                throw new UserError("node numbers " + nodes + " repeat a node; give each node once");
            }
            for (int n : nodes.stream().sorted().toList()) {
                c.membership.set(n, NodeState.COMINGUP);
                c.membership.set(n, NodeState.UP);
                if (c.membership.home(Membership.MASTER) == null) {
                    firstNodeUp(n);
                }
                booted.add(n);
            }
            c.notifyAll();
        }
        for (int n : booted) {
            c.console(n).log("ssilab sim: node " + n + " is UP (OpenSSI model); CLMS master is node "
                    + c.masterNode() + "\n");
        }
    }

    /** The first node of the cluster hosts every centralized service, init and the keepalive daemon. */
    private void firstNodeUp(int n) {
        for (String s : Membership.SERVICES) {
            c.membership.place(s, n);
        }
        c.startInit(n);
        c.keepalive.startDaemon(n);
    }

    public CrashReport crash(int node) {
        Map<String, Integer> moved = new LinkedHashMap<>();
        synchronized (c) {
            checkRange(node);
            NodeState s = c.membership.state(node);
            if (s != NodeState.UP) {
                throw new UserError("node " + node + " of cluster " + c.id + " is " + s + ", not UP; only a node that is up can crash");
            }
            if (c.membership.upNodes().size() == 1) {
                throw new UserError("node " + node + " is the last node up in cluster " + c.id
                        + "; a cluster keeps one node up: use ssi-stop " + c.id + " to end it");
            }
            c.membership.set(node, NodeState.KCLEANUP);
            for (SimProcess p : c.processes()) {
                if (p.node == node && p.pid != SimCluster.INIT_PID) {
                    c.terminate(p, 9);
                }
            }
            c.membership.set(node, NodeState.UCLEANUP);
            c.membership.set(node, NodeState.DOWN);
            int survivor = c.membership.upNodes().get(0);
            for (String service : Membership.SERVICES) {
                Integer home = c.membership.home(service);
                if (home != null && home == node) {
                    c.membership.place(service, survivor);
                    moved.put(service, survivor);
                }
            }
            if (moved.containsKey(Membership.INIT)) {
                c.process(SimCluster.INIT_PID).node = survivor; // init is restarted on the new node with pid 1
            }
            if (moved.containsKey(Membership.KEEPALIVE)) {
                c.keepalive.startDaemon(survivor);
            }
            c.notifyAll();
        }
        for (int n : c.upNodesSnapshot()) {
            c.console(n).log("ssilab sim: node " + node + " went DOWN" + (moved.isEmpty() ? ""
                    : "; " + String.join(", ", moved.keySet()) + " moved to node " + moved.values().iterator().next()) + "\n");
        }
        return new CrashReport(node, moved);
    }
}
