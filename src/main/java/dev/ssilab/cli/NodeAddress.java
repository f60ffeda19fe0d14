package dev.ssilab.cli;

import dev.ssilab.cluster.ClusterArgs;
import picocli.CommandLine.Parameters;

/**
 * {@code ID N}, the first two words of {@code ssilab exec} and {@code ssilab console}: one node of one
 * cluster, declared once (a picocli mixin) and read through {@link ClusterArgs}, so both commands refuse
 * a bad id or node with the same line.
 */
final class NodeAddress {

    @Parameters(index = "0", paramLabel = "ID", description = "Cluster id (see ssi-ls).")
    String id;

    @Parameters(index = "1", paramLabel = "N", description = "Node number.")
    String node;

    int clusterId() {
        return ClusterArgs.clusterId(id);
    }

    int node() {
        return ClusterArgs.node(node);
    }
}
