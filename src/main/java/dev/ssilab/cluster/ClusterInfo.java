package dev.ssilab.cluster;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One entry of the cluster registry, as {@code ssi-ls} shows it.
 *
 * @param nodesUp the nodes up as the manager last recorded them, lowest first; empty when stale
 *                (nodes die with their manager)
 * @param stale   true when the cluster's manager process is gone; {@code ssi-stop ID} removes the entry
 * @param dir     the cluster's folder under {@code $XDG_STATE_HOME/ssilab/clusters/}
 */
public record ClusterInfo(int id, String backend, List<Integer> nodesUp, Instant started, boolean stale, Path dir) {
    public ClusterInfo {
        nodesUp = List.copyOf(nodesUp);
    }
}
