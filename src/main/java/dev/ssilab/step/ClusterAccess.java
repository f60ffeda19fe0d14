package dev.ssilab.step;

import dev.ssilab.cluster.ClusterIds;
import java.util.OptionalInt;
import java.util.Set;

/** What the course needs to know of the learner's clusters, and how to reach their nodes. */
public interface ClusterAccess {

    /** The learner's cluster: the newest one that is running, if any. */
    OptionalInt current();

    /** The id the next ssi-start will get. */
    int nextId();

    /** Ids of the clusters that are running now. */
    Set<Integer> running();

    /** Stops a cluster (course tests stop what they started). */
    void stop(int clusterId);

    NodeExecutor nodes(int clusterId);

    /** Each node's state and services now, for showing the cluster between steps; empty when unknown. */
    default java.util.List<dev.ssilab.cluster.NodeStatus> status(int clusterId) {
        return java.util.List.of();
    }

    /** For a course that has no cluster backend available at all. */
    ClusterAccess NONE = new ClusterAccess() {
        @Override
        public OptionalInt current() {
            return OptionalInt.empty();
        }

        @Override
        public int nextId() {
            return ClusterIds.FIRST;
        }

        @Override
        public Set<Integer> running() {
            return Set.of();
        }

        @Override
        public void stop(int clusterId) {}

        @Override
        public NodeExecutor nodes(int clusterId) {
            return NodeExecutor.unavailable("no cluster backend is available in this build");
        }
    };
}
