package dev.ssilab.cli;

import dev.ssilab.cluster.uml.KernelInstaller;
import dev.ssilab.cluster.uml.KernelStore;
import dev.ssilab.state.SsilabPaths;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ssilab kernel install|status}: the UML kernel that real nodes boot. */
@Command(name = "kernel", mixinStandardHelpOptions = true, description = "Build, or show, the User-Mode Linux kernel used by real (uml) nodes.",
        subcommands = {KernelCommand.Install.class, KernelCommand.Status.class})
public final class KernelCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        picocli.CommandLine.usage(this, System.out);
        return 0;
    }

    @Command(name = "install", mixinStandardHelpOptions = true, description = "Build a UML kernel from Debian unstable's newest linux-source-7.x "
            + "with ssilab's config fragment, and cache it (about 4 minutes, 3 GB of free disk while building).")
    static final class Install implements Callable<Integer> {
        @Option(names = "--rebuild", description = "Build again even if this source version and config are cached.")
        boolean rebuild;

        @Override
        public Integer call() {
            SsilabPaths paths = SsilabPaths.fromEnvironment(System.getenv());
            KernelInstaller installer = new KernelInstaller(new KernelStore(paths),
                    Home.content().resolve("kernel/ssilab.config"), KernelInstaller.machineMirror(),
                    line -> {
                        System.out.println(line);
                        System.out.flush();
                    });
            installer.install(rebuild);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Exit 0 and say where, when a working UML kernel is installed; 1 otherwise.")
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
            System.out.println("UML kernel " + release.get() + " installed at " + kernel.get());
            return 0;
        }
    }
}
