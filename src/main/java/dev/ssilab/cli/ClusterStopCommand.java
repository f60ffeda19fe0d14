package dev.ssilab.cli;

import dev.ssilab.cluster.ClusterArgs;
import dev.ssilab.cluster.ClusterInfo;
import dev.ssilab.cluster.ClusterMessages;
import dev.ssilab.cluster.Clusters;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ssi-stop ID}: ends a cluster (or clears a stale one); swap files are kept. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop cluster ID: every node ends; swap files are kept. Also clears a stale cluster.")
final class ClusterStopCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "Cluster id (see ssi-ls).")
    String id;

    @Override
    public Integer call() {
        int cluster = ClusterArgs.clusterId(id);
        Clusters clusters = ClusterCommand.clusters();
        ClusterInfo before = clusters.info(cluster);
        clusters.stop(cluster);
        System.out.println(ClusterMessages.stopped(before));
        return 0;
    }
}
