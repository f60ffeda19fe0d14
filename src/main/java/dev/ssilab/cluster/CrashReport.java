package dev.ssilab.cluster;

import java.util.Map;

/** What a crash did: the node that went down and, per centralized service, the node it restarted on. */
public record CrashReport(int node, Map<String, Integer> servicesMovedTo) {
    public CrashReport {
        servicesMovedTo = Map.copyOf(servicesMovedTo);
    }
}
