package dev.ssilab.cli;

import dev.ssilab.cluster.ClusterArgs;
import dev.ssilab.cluster.ClusterMessages;
import dev.ssilab.cluster.Clusters;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ssi-add [ID] NODE...}: boots those nodes into a running cluster; nodes already up are skipped. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Boot nodes into cluster ID; nodes already up are skipped with a note.",
            "ID may be left out when exactly one cluster runs (ssi-add 4 5), as in the 2002 HOWTO."})
final class ClusterAddCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "[ID] NODE", description = "Cluster id (see ssi-ls), then node numbers to boot (1..15).")
    List<String> words;

    @Override
    public Integer call() {
        Clusters clusters = ClusterCommand.clusters();
        var at = ClusterArgs.addressed(words, clusters.runningIds(), "ssi-add", "5");
        List<Integer> numbers = ClusterArgs.nodes(at.rest());
        List<Integer> skipped = clusters.add(at.id(), numbers);
        for (int n : skipped) {
            System.err.println("note: node " + n + " is already up in cluster " + at.id() + "; skipped");
        }
        List<Integer> added = numbers.stream().distinct().filter(n -> !skipped.contains(n)).toList();
        System.out.println(ClusterMessages.added(at.id(), added));
        System.err.println("note: " + ClusterCommand.consoleWindows().open(at.id(), added));
        return 0;
    }
}
