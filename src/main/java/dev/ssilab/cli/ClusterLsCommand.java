package dev.ssilab.cli;

import dev.ssilab.cluster.ClusterMessages;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ssi-ls}: lists the clusters, their nodes up and when they started. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List the clusters, with their nodes up and when they started.")
final class ClusterLsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.print(ClusterMessages.listing(ClusterCommand.clusters().list(), ZoneId.systemDefault()));
        return 0;
    }
}
