package dev.ssilab.cli;

import dev.ssilab.cluster.ClusterArgs;
import dev.ssilab.cluster.ExecResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ssilab exec ID N -- CMD...}: runs one command line on a node and exits with its status. */
@Command(name = "exec", mixinStandardHelpOptions = true, description = "Run one command on node N of cluster ID; the words after -- are joined into one line"
        + " for the node's shell. Exits with the command's status.")
final class ExecCommand implements Callable<Integer> {

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "End the command after this long (default: 600); exit 124.")
    String timeout = "600";

    @Parameters(index = "0", paramLabel = "ID", description = "Cluster id (see ssi-ls).")
    String id;

    @Parameters(index = "1", paramLabel = "N", description = "Node number.")
    String node;

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "CMD", description = "The command line (after --).")
    List<String> command;

    @Override
    public Integer call() {
        Duration limit = ClusterArgs.timeoutSeconds(timeout);
        ExecResult result = ClusterCommand.clusters().exec(ClusterArgs.clusterId(id), ClusterArgs.node(node),
                String.join(" ", command), limit, System.out);
        System.out.flush();
        if (result.timedOut()) {
            System.err.println("ssilab exec: the command was ended after " + limit.toSeconds() + " s (--timeout)");
        }
        return result.exitCode();
    }
}
