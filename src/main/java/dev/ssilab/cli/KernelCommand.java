package dev.ssilab.cli;

import dev.ssilab.cluster.uml.KernelInstaller;
import dev.ssilab.cluster.uml.KernelMakeFilter;
import dev.ssilab.cluster.uml.KernelSource;
import dev.ssilab.cluster.uml.KernelStore;
import dev.ssilab.state.SsilabPaths;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ssilab kernel install|status|source|progress}: the UML kernel that real nodes boot, and building one yourself. */
@Command(name = "kernel", mixinStandardHelpOptions = true, description = "Build, or show, the User-Mode Linux kernel used by real (uml) nodes.",
        subcommands = {KernelCommand.Install.class, KernelCommand.Status.class, KernelCommand.Source.class,
                KernelCommand.BuildProgress.class})
public final class KernelCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;


    @Override
    public Integer call() {
        return MissingSubcommand.report(spec);
    }

    @Command(name = "install", mixinStandardHelpOptions = true, description = "Build a UML kernel from Debian unstable's newest linux-source-7.x "
            + "with ssilab's patches and config fragment, and cache it (about 4 minutes, 3 GB of free disk while building).")
    static final class Install implements Callable<Integer> {
        @Option(names = "--rebuild", description = "Build again even if this source version and config are cached.")
        boolean rebuild;

        @Override
        public Integer call() {
            installer().install(rebuild);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Exit 0 and say where, when a working UML kernel built with ssilab's current patches and config is installed; 1 otherwise.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            KernelStore store = new KernelStore(SsilabPaths.fromEnvironment(System.getenv()));
            Optional<Path> kernel = store.current();
            if (kernel.isEmpty()) {
                System.out.println("No UML kernel installed in " + store.root() + ": run 'ssilab kernel install'.");
                return 1;
            }
            Optional<String> release = KernelStore.release(kernel.get());
            if (release.isEmpty()) {
                System.out.println("The installed UML kernel " + kernel.get() + " does not run here: "
                        + "run 'ssilab kernel install --rebuild'.");
                return 1;
            }
            // the cache key ends with the hash of the fragment and patches it was built with
            String hash = installer().configHash();
            if (!kernel.get().getParent().getFileName().toString().endsWith("-" + hash)) {
                System.out.println("The installed UML kernel " + kernel.get() + " was built with other patches or config "
                        + "options than ssilab's content/kernel now has: run 'ssilab kernel install'.");
                return 1;
            }
            System.out.println("UML kernel " + release.get() + " installed at " + kernel.get());
            return 0;
        }
    }

    @Command(name = "source", mixinStandardHelpOptions = true, description = "Put the Linux source tarball (Debian unstable's newest "
            + "linux-source-7.x) in a folder: the one kept in ssilab's kernel cache by an earlier download (no network needed), "
            + "else downloaded once (about 160 MB) and kept there.")
    static final class Source implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder to put the tarball in (default: the current folder).")
        Path output = Path.of(".");

        @Option(names = "--refresh", description = "Ask Debian for a newer source even when one is cached.")
        boolean refresh;

        @Override
        public Integer call() {
            KernelInstaller.SourceResult got = installer().source(refresh);
            Path placed = KernelSource.place(got.source(), output);
            System.out.println(placed.getFileName() + ": Linux " + got.source().upstream() + " (Debian's "
                    + got.source().debianVersion() + "), " + got.how());
            return 0;
        }
    }

    @Command(name = "progress", mixinStandardHelpOptions = true, description = "Show a kernel build's progress: read make's output "
            + "(make ARCH=um linux 2>&1 | ssilab kernel progress), fold its step lines into one status line, pass warnings and "
            + "errors through, and exit 2 when make reported an error.")
    static final class BuildProgress implements Callable<Integer> {
        @Option(names = "-C", paramLabel = "DIR", description = "The kernel tree make runs in (default: the current folder).")
        Path tree = Path.of(".");

        @Override
        public Integer call() {
            if (!java.nio.file.Files.isDirectory(tree)) {
                throw new dev.ssilab.state.UserError("no kernel tree at " + tree + " (-C names the folder make runs in)");
            }
            boolean terminal = System.console() != null || "1".equals(System.getenv("SSILAB_PROGRESS"));
            boolean dumb = "dumb".equals(System.getenv("TERM"));
            KernelSource sources = new KernelSource(new KernelStore(SsilabPaths.fromEnvironment(System.getenv())).root(), line -> { });
            return new KernelMakeFilter(tree, sources, System.out, terminal && !dumb, System::nanoTime)
                    .run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        }
    }

    static KernelInstaller installer() {
        SsilabPaths paths = SsilabPaths.fromEnvironment(System.getenv());
        return new KernelInstaller(new KernelStore(paths), Home.content().resolve("kernel/ssilab.config"),
                KernelInstaller::machineMirror, line -> {
                    System.out.println(line);
                    System.out.flush();
                });
    }
}
