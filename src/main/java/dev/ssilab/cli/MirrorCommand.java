package dev.ssilab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ssilab mirror}: groups the workshop mirror's commands. */
@Command(name = "mirror", mixinStandardHelpOptions = true, description = "A workshop mirror of the course files.", subcommands = {MirrorServeCommand.class})
final class MirrorCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return MissingSubcommand.report(spec);
    }
}
