package dev.ssilab.cli;

import dev.ssilab.cluster.ClusterArgs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ssilab console ID N}: connects this terminal to node N's console shell. */
@Command(name = "console", mixinStandardHelpOptions = true, description = "Connect this terminal to the shell on node N's console (exit or Ctrl-D leaves).")
final class ConsoleCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "Cluster id (see ssi-ls).")
    String id;

    @Parameters(index = "1", paramLabel = "N", description = "Node number.")
    String node;

    @Override
    public Integer call() {
        int cluster = ClusterArgs.clusterId(id);
        int n = ClusterArgs.node(node);
        if (System.console() != null) {
            System.err.println("Connected to node " + n + " of cluster " + cluster + " (type exit or press Ctrl-D to leave)");
        }
        ClusterCommand.clusters().console(cluster, n, System.in, System.out);
        return 0;
    }
}
