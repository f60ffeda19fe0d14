package dev.ssilab.cli;

import dev.ssilab.cluster.uml.RootfsBuilder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ssilab rootfs build [-o root_fs]}: the root image that real (uml) nodes share. */
@Command(name = "rootfs", mixinStandardHelpOptions = true, description = "Make the nodes' root image for real (uml) clusters.",
        subcommands = {RootfsCommand.Build.class})
public final class RootfsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        picocli.CommandLine.usage(this, System.out);
        return 0;
    }

    @Command(name = "build", mixinStandardHelpOptions = true, description = "Build an ext4 root image from Debian's busybox-static and "
            + "ssilab's content/rootfs (no root privileges needed; same inputs, same bytes).")
    static final class Build implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Image to write (default: ./root_fs).")
        Path output = Path.of("root_fs");

        @Override
        public Integer call() {
            RootfsBuilder builder = new RootfsBuilder(Home.content().resolve("rootfs"), line -> {
                System.out.println(line);
                System.out.flush();
            });
            builder.build(output);
            return 0;
        }
    }
}
