package dev.ssilab.cli;

import dev.ssilab.cluster.ClusterArgs;
import dev.ssilab.cluster.ClusterMessages;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ssi-add ID NODE...}: boots those nodes into a running cluster. */
@Command(name = "add", mixinStandardHelpOptions = true, description = "Boot nodes into cluster ID.")
final class ClusterAddCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "Cluster id (see ssi-ls).")
    String id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NODE", description = "Node numbers to boot (1..15).")
    List<String> nodes;

    @Override
    public Integer call() {
        int cluster = ClusterArgs.clusterId(id);
        List<Integer> numbers = ClusterArgs.nodes(nodes);
        ClusterCommand.clusters().add(cluster, numbers);
        System.out.println(ClusterMessages.added(cluster, numbers));
        System.err.println("note: " + ClusterCommand.consoleWindows().open(cluster, numbers));
        return 0;
    }
}
