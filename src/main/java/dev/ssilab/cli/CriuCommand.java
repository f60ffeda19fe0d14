package dev.ssilab.cli;

import dev.ssilab.cluster.uml.CriuInstaller;
import dev.ssilab.cluster.uml.CriuStore;
import dev.ssilab.cluster.uml.KernelInstaller;
import dev.ssilab.state.SsilabPaths;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ssilab criu install|status}: CRIU for UML, with which real nodes move processes (migrate). */
@Command(name = "criu", mixinStandardHelpOptions = true, description = "Build, or show, the CRIU (checkpoint/restore) "
        + "that real (uml) nodes migrate processes with.",
        subcommands = {CriuCommand.Install.class, CriuCommand.Status.class})
public final class CriuCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return MissingSubcommand.report(spec);
    }

    @Command(name = "install", mixinStandardHelpOptions = true, description = "Build CRIU from Debian unstable's source "
            + "with ssilab's patches for UML, and cache it (about a minute); every uml cluster started afterwards gets it "
            + "in its root (/opt/criu).")
    static final class Install implements Callable<Integer> {
        @Option(names = "--rebuild", description = "Download the source again and build again, even if this version is cached.")
        boolean rebuild;

        @Override
        public Integer call() {
            installer().install(rebuild);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Exit 0 and say where, when a CRIU built with "
            + "ssilab's current patches is installed; 1 otherwise.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            CriuStore store = new CriuStore(SsilabPaths.fromEnvironment(System.getenv()));
            Optional<String> key = store.currentKey();
            if (key.isEmpty()) {
                System.out.println("No CRIU installed in " + store.root() + ": run 'ssilab criu install'.");
                return 1;
            }
            if (!key.get().endsWith("-" + installer().recipeHash())) {
                System.out.println("The installed CRIU " + store.current().orElseThrow() + " was built with other patches than "
                        + "ssilab's content/criu now has: run 'ssilab criu install'.");
                return 1;
            }
            System.out.println("CRIU " + key.get().substring(0, key.get().lastIndexOf('-')) + " for UML installed at "
                    + store.current().orElseThrow());
            return 0;
        }
    }

    static CriuInstaller installer() {
        return new CriuInstaller(new CriuStore(SsilabPaths.fromEnvironment(System.getenv())), Home.content().resolve("criu"),
                KernelInstaller::machineMirror, line -> {
                    System.out.println(line);
                    System.out.flush();
                });
    }
}
