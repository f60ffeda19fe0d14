package dev.ssilab.cli;

import dev.ssilab.cluster.ClusterArgs;
import dev.ssilab.cluster.ClusterInfo;
import dev.ssilab.cluster.ClusterMessages;
import dev.ssilab.cluster.Clusters;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ssi-stop [ID]}: ends a cluster (or clears a stale one); swap files are kept. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop cluster ID: every node ends; swap files are kept. Also clears a stale cluster.",
            "ID may be left out when there is exactly one cluster (ssi-stop), as in the 2002 HOWTO."})
final class ClusterStopCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "ID", description = "Cluster id (see ssi-ls).")
    List<String> words;

    @Override
    public Integer call() {
        Clusters clusters = ClusterCommand.clusters();
        List<Integer> all = clusters.list().stream().map(ClusterInfo::id).toList();
        var at = ClusterArgs.addressed(words, all, "ssi-stop", "");
        if (!at.rest().isEmpty()) {
            ClusterArgs.clusterId(at.rest().get(0)); // a node number where an id belongs: says so
        }
        ClusterInfo before = clusters.info(at.id());
        clusters.stop(at.id());
        // The manager has told the consoles to end; this closes any window it could not reach.
        ClusterCommand.consoleWindows().closeAll(at.id());
        System.out.println(ClusterMessages.stopped(before));
        return 0;
    }
}
