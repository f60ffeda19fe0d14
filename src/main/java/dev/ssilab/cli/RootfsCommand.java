package dev.ssilab.cli;

import dev.ssilab.cluster.uml.RootTrees;
import dev.ssilab.cluster.uml.RootfsBuilder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssilab rootfs build|base|tools}: the root image that real (uml) nodes share, made in one go, or
 * its pieces as folders for building one by hand.
 */
@Command(name = "rootfs", mixinStandardHelpOptions = true, description = "Make the nodes' root image for real (uml) clusters, "
        + "or its pieces (a base tree, the cluster tools) to build one yourself.",
        subcommands = {RootfsCommand.Build.class, RootfsCommand.Base.class, RootfsCommand.Tools.class})
public final class RootfsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;


    @Override
    public Integer call() {
        return MissingSubcommand.report(spec);
    }

    static Consumer<String> printer() {
        return line -> {
            System.out.println(line);
            System.out.flush();
        };
    }

    @Command(name = "build", mixinStandardHelpOptions = true, description = "Build an ext4 root image from Debian's busybox-static and "
            + "ssilab's content/rootfs, or from a folder you made (--from); no root privileges needed; same inputs, same bytes.")
    static final class Build implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Image to write (default: ./root_fs).")
        Path output = Path.of("root_fs");

        @Option(names = "--from", paramLabel = "DIR", description = "Make the image of this root tree instead (it must have sbin/init).")
        Path from;

        @Override
        public Integer call() {
            RootfsBuilder builder = new RootfsBuilder(Home.content().resolve("rootfs"), printer());
            if (from != null) {
                builder.image(from, output);
            } else {
                builder.build(output);
            }
            return 0;
        }
    }

    @Command(name = "base", mixinStandardHelpOptions = true, description = "Write a base root tree into a new folder, as a distribution "
            + "gives it: Debian's busybox-static with its applets, and a PC's /etc (fstab, busybox init's start-up scripts).")
    static final class Base implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder to write (default: ./base); it must not exist or be empty.")
        Path output = Path.of("base");

        @Override
        public Integer call() {
            new RootTrees(Home.content().resolve("rootfs"), printer()).base(output);
            return 0;
        }
    }

    @Command(name = "tools", mixinStandardHelpOptions = true, description = "Write the SSI cluster tools into a new folder, with a "
            + "Makefile: 'make' checks them, 'make install DESTDIR=ROOT' installs them into a root tree.")
    static final class Tools implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder to write (default: ./ssi-tools); it must not exist or be empty.")
        Path output = Path.of("ssi-tools");

        @Override
        public Integer call() {
            new RootTrees(Home.content().resolve("rootfs"), printer()).tools(output);
            return 0;
        }
    }
}
