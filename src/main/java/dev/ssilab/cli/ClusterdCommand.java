package dev.ssilab.cli;

import dev.ssilab.cluster.BackendProvider;
import dev.ssilab.cluster.ClusterArgs;
import dev.ssilab.cluster.ClusterManager;
import dev.ssilab.state.SsilabPaths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ssilab clusterd ID}: the cluster manager process that ssi-start launches (not for people). */
@Command(name = "clusterd", mixinStandardHelpOptions = true, hidden = true, description = "Run the manager of cluster ID (started by ssi-start).")
final class ClusterdCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws InterruptedException {
        System.setProperty(BackendProvider.CONTENT_PROPERTY, Home.content().toString());
        new ClusterManager(SsilabPaths.fromEnvironment(System.getenv()), ClusterArgs.clusterId(id), System.out).run();
        return 0;
    }
}
