package dev.ssilab.cluster;

import java.util.OptionalInt;
import java.util.function.IntPredicate;

/**
 * Which numbers are cluster ids, and which one a new cluster gets. The HOWTO's first cluster is
 * 10001, and its commands tell an id from a node number (1..15) by size alone, so the ids the registry
 * hands out, the ids ssi-* accept and the id a lesson shows before any cluster runs all come from here.
 */
public final class ClusterIds {
    /** The id ssi-start gives when no cluster exists: "Cluster 10001 has been started with 4 nodes". */
    public static final int FIRST = 10001;
    /** The last id: five digits, so every id reads apart from a node number. */
    public static final int LAST = 99999;

    private ClusterIds() {}

    /** The id a new cluster gets: the lowest one from {@link #FIRST} not taken; empty when every one is. */
    public static OptionalInt lowestFree(IntPredicate taken) {
        for (int id = FIRST; id <= LAST; id++) {
            if (!taken.test(id)) {
                return OptionalInt.of(id);
            }
        }
        return OptionalInt.empty();
    }
}
