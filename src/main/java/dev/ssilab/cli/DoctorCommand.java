package dev.ssilab.cli;

import dev.ssilab.cluster.uml.Doctor;
import dev.ssilab.state.SsilabPaths;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ssilab doctor}: can real (uml) nodes run on this machine, and if not, why and what to do. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Boot one real UML node as a probe and say whether real clusters work here.")
public final class DoctorCommand implements Callable<Integer> {
    @Option(names = {"-k", "--kernel"}, paramLabel = "KERNEL", description = "UML kernel to try (default: the installed one).")
    Path kernel;

    @Option(names = {"-r", "--root"}, paramLabel = "ROOT", description = "Root image to boot (default: ./root_fs).")
    Path root = Path.of("root_fs");

    @Override
    public Integer call() {
        Doctor.Report report = new Doctor(SsilabPaths.fromEnvironment(System.getenv()), System.out::println)
                .check(kernel, root);
        if (report.ok()) {
            System.out.println("OK: " + report.reason() + ".");
            return 0;
        }
        System.out.println("NOT OK: " + report.reason());
        System.out.println("Fix: " + report.fix());
        return 1;
    }
}
