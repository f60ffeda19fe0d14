package dev.ssilab.step;

import dev.ssilab.cluster.ClusterIds;
import dev.ssilab.cluster.ClusterInfo;
import dev.ssilab.cluster.Clusters;
import java.util.Comparator;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The course's view of the clusters in the shared registry: the same ones ssi-ls shows, whether the
 * learner started them from the tutor or from another terminal.
 */
public final class RegistryClusterAccess implements ClusterAccess {
    private final Clusters clusters;

    public RegistryClusterAccess(Clusters clusters) {
        this.clusters = clusters;
    }

    @Override
    public OptionalInt current() {
        return clusters.list().stream().filter(c -> !c.stale())
                .max(Comparator.comparing(ClusterInfo::started).thenComparingInt(ClusterInfo::id))
                .map(c -> OptionalInt.of(c.id())).orElse(OptionalInt.empty());
    }

    @Override
    public int nextId() {
        Set<Integer> taken = clusters.list().stream().map(ClusterInfo::id).collect(Collectors.toSet());
        // Past the last id nothing is free; the lessons then show the id after it, which ssi-start will refuse.
        return ClusterIds.lowestFree(taken::contains).orElse(ClusterIds.LAST + 1);
    }

    @Override
    public Set<Integer> running() {
        return Set.copyOf(clusters.runningIds());
    }

    @Override
    public void stop(int clusterId) {
        clusters.stop(clusterId);
    }

    @Override
    public java.util.List<dev.ssilab.cluster.NodeStatus> status(int clusterId) {
        return clusters.nodes(clusterId);
    }

    @Override
    public NodeExecutor nodes(int clusterId) {
        return new NodeExecutor() {
            @Override
            public dev.ssilab.cluster.ExecResult exec(int node, String script, java.time.Duration timeout, java.io.OutputStream live) {
                return exec(node, script, timeout, null, live);
            }

            @Override
            public dev.ssilab.cluster.ExecResult exec(int node, String script, java.time.Duration timeout, java.io.InputStream keys,
                                                      java.io.OutputStream live) {
                return withNodeLost(clusterId, node, clusters.exec(clusterId, node, script, timeout, keys, live), live);
            }
        };
    }

    /** A command whose node went down under it says so, in its output, where the learner reads it. */
    private dev.ssilab.cluster.ExecResult withNodeLost(int clusterId, int node, dev.ssilab.cluster.ExecResult r, java.io.OutputStream live) {
        String lost = clusters.nodeLostNote(clusterId, node, r.exitCode());
        if (lost == null) {
            return r;
        }
        String line = "ssilab: " + lost + "\n";
        if (live != null) {
            try {
                live.write(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                live.flush();
            } catch (java.io.IOException ignored) {
                // the screen is gone; the result still carries the line
            }
        }
        return new dev.ssilab.cluster.ExecResult(r.exitCode(), r.output() + line);
    }
}
