package dev.ssilab.cli;

import dev.ssilab.cluster.BackendName;
import dev.ssilab.cluster.ClusterArgs;
import dev.ssilab.cluster.ClusterInfo;
import dev.ssilab.cluster.ClusterMessages;
import dev.ssilab.cluster.StartRequest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ssi-start [-r ROOT] [-s SWAP_MB] [-k KERNEL] [-i INITRD] [N]}: starts an N-node cluster. */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start a cluster of N nodes (1..15, default 3) and print its id.")
final class ClusterStartCommand implements Callable<Integer> {

    @Option(names = "-r", paramLabel = "ROOT", description = "Root image (default: ./root_fs).")
    Path root = Path.of("root_fs");

    @Option(names = "-s", paramLabel = "SWAP_MB", description = "Size of each node's swap_<node> file in MB (default: 64).")
    String swapMb = "64";

    @Option(names = "-k", paramLabel = "KERNEL", description = "Kernel to boot (default: the backend's).")
    Path kernel;

    @Option(names = "-i", paramLabel = "INITRD", description = "Initial ramdisk (default: none).")
    Path initrd;

    @Mixin
    BackendOption backend = new BackendOption();

    @Parameters(index = "0", arity = "0..1", paramLabel = "N", description = "Number of nodes (default: 3).")
    String nodes = "3";

    @Override
    public Integer call() {
        StartRequest request = new StartRequest(backend.forCluster(System.getenv()),
                ClusterArgs.nodeCount(nodes), root, ClusterArgs.swapMb(swapMb), kernel, initrd);
        ClusterInfo cluster = ClusterCommand.clusters().start(request);
        System.out.println(ClusterMessages.started(cluster));
        // Notes go to stderr, so the HOWTO's exact line stays alone on stdout for scripts and checks.
        String consoles = ClusterCommand.consoleWindows().open(cluster.id(), cluster.nodesUp());
        System.err.println(BackendName.SIM.is(cluster.backend())
                ? ClusterMessages.simulatedNote(cluster) + "; " + consoles : "note: " + consoles);
        return 0;
    }
}
