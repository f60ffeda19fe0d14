package dev.ssilab.cluster;

import java.util.List;

/** One node's membership state and the centralized services it hosts (e.g. "CLMS master", "root", "init"). */
public record NodeStatus(int node, NodeState state, List<String> services) {
    public NodeStatus {
        services = List.copyOf(services);
    }
}
