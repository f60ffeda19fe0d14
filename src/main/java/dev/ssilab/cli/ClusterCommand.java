package dev.ssilab.cli;

import dev.ssilab.cluster.Clusters;
import dev.ssilab.cluster.ConsoleWindows;
import dev.ssilab.state.SsilabPaths;
import picocli.CommandLine.Command;

/** {@code ssilab cluster start|add|ls|rm|stop}: the HOWTO's ssi-* commands (bin/ssi-* call these). */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Manage virtual SSI clusters (the HOWTO's ssi-start, ssi-add, ssi-ls, ssi-rm, ssi-stop).",
        subcommands = {
            ClusterStartCommand.class, ClusterAddCommand.class, ClusterLsCommand.class,
            ClusterRmCommand.class, ClusterStopCommand.class
        })
final class ClusterCommand implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return MissingSubcommand.report(spec);
    }

    /** The cluster service for the learner's own XDG folders. */
    static Clusters clusters() {
        return new Clusters(SsilabPaths.fromEnvironment(System.getenv()));
    }

    static ConsoleWindows consoleWindows() {
        return new ConsoleWindows(System.getenv());
    }
}
