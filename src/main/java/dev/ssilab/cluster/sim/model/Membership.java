package dev.ssilab.cluster.sim.model;

import dev.ssilab.cluster.NodeState;
import dev.ssilab.cluster.NodeStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CLMS membership of one simulated cluster: each node's state, the transition id, and which node hosts
 * each centralized service. Not thread-safe by itself: read and changed under the cluster's lock (see the
 * package doc), by the model, or by a reader given to {@link SimCluster#snapshot}.
 */
public final class Membership {
    public static final int MAX_NODE = 15;
    public static final String MASTER = "CLMS master";
    static final String ROOT = "root";
    static final String INIT = "init";
    static final String KEEPALIVE = "keepalive";
    /** The centralized services, in the order cluster -v lists them. */
    static final List<String> SERVICES = List.of(MASTER, ROOT, INIT, KEEPALIVE);

    private final TreeMap<Integer, NodeState> states = new TreeMap<>();
    private final Map<String, Integer> serviceHome = new LinkedHashMap<>();
    private long transition;

    public NodeState state(int node) {
        return states.getOrDefault(node, NodeState.NEVERUP);
    }

    boolean isUp(int node) {
        return state(node) == NodeState.UP;
    }

    public long transition() {
        return transition;
    }

    /** Moves a node to a new state; every change is one CLMS transition. */
    void set(int node, NodeState state) {
        states.put(node, state);
        transition++;
    }

    public List<Integer> upNodes() {
        List<Integer> up = new ArrayList<>();
        states.forEach((n, s) -> {
            if (s == NodeState.UP) {
                up.add(n);
            }
        });
        return up;
    }

    /** Null while no node was ever up. */
    public Integer home(String service) {
        return serviceHome.get(service);
    }

    void place(String service, int node) {
        serviceHome.put(service, node);
    }

    List<String> servicesOn(int node) {
        List<String> out = new ArrayList<>();
        for (String s : SERVICES) {
            Integer home = serviceHome.get(s);
            if (home != null && home == node) {
                out.add(s);
            }
        }
        return out;
    }

    public List<NodeStatus> statuses() {
        List<NodeStatus> out = new ArrayList<>();
        states.forEach((n, s) -> out.add(new NodeStatus(n, s, servicesOn(n))));
        return out;
    }
}
