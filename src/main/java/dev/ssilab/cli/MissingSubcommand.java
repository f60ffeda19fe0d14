package dev.ssilab.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command group ({@code ssilab cluster}, {@code ssilab kernel}, ...) does when no subcommand is
 * named: that is a usage error, so it says which subcommands exist, shows the usage on stderr and
 * exits 2 (picocli's usage-error status), and a script that forgot the subcommand does not go on as
 * if it had worked.
 */
final class MissingSubcommand {
    static final int EXIT = 2;

    private MissingSubcommand() {}

    static int report(CommandSpec spec) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.root().name() + ": '" + spec.qualifiedName() + "' needs a command: "
                + String.join(", ", spec.subcommands().keySet()) + " (see '" + spec.qualifiedName() + " --help')");
        spec.commandLine().usage(err);
        err.flush();
        return EXIT;
    }
}
