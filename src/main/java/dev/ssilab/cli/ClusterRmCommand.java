package dev.ssilab.cli;

import dev.ssilab.cluster.ClusterArgs;
import dev.ssilab.cluster.ClusterMessages;
import dev.ssilab.cluster.Clusters;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ssi-rm [ID] NODE...}: crashes nodes; says where their centralized services went. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Crash nodes of cluster ID, one after the other; their services fail over to the lowest surviving node.",
            "ID may be left out when exactly one cluster runs (ssi-rm 3), as in the 2002 HOWTO."})
final class ClusterRmCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "[ID] NODE", description = "Cluster id (see ssi-ls), then the node numbers to crash.")
    List<String> words;

    @Override
    public Integer call() {
        Clusters clusters = ClusterCommand.clusters();
        var at = ClusterArgs.addressed(words, clusters.runningIds(), "ssi-rm", "3");
        List<Integer> nodes = ClusterArgs.nodes(at.rest()).stream().distinct().toList();
        clusters.checkCrashable(at.id(), nodes);
        for (int node : nodes) {
            System.out.println(ClusterMessages.crashed(at.id(), clusters.crash(at.id(), node)));
            // The manager has told the node's consoles to end; this closes a window it could not reach.
            ClusterCommand.consoleWindows().close(at.id(), List.of(node));
        }
        return 0;
    }
}
