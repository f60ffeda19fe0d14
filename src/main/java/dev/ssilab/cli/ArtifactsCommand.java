package dev.ssilab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ssilab artifacts}: groups the commands that make the course's downloadable files. */
@Command(name = "artifacts", mixinStandardHelpOptions = true, description = "The course's downloadable files.", subcommands = {ArtifactsBuildCommand.class})
final class ArtifactsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return MissingSubcommand.report(spec);
    }
}
