package dev.ssilab.cli;

import dev.ssilab.cluster.ClusterArgs;
import dev.ssilab.cluster.ClusterMessages;
import dev.ssilab.cluster.CrashReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ssi-rm ID NODE}: crashes a node; says where its centralized services went. */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Crash node NODE of cluster ID; its services fail over to the lowest surviving node.")
final class ClusterRmCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "Cluster id (see ssi-ls).")
    String id;

    @Parameters(index = "1", paramLabel = "NODE", description = "Node number to crash.")
    String node;

    @Override
    public Integer call() {
        int cluster = ClusterArgs.clusterId(id);
        CrashReport report = ClusterCommand.clusters().crash(cluster, ClusterArgs.node(node));
        System.out.println(ClusterMessages.crashed(cluster, report));
        return 0;
    }
}
