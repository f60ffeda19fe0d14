package dev.ssilab.cli;

import dev.ssilab.cluster.uml.Doctor;
import dev.ssilab.cluster.uml.RootfsBuilder;
import dev.ssilab.state.SsilabPaths;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ssilab doctor}: can real (uml) nodes run on this machine, and if not, why and what to do. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Boot real UML nodes as a probe and say whether real clusters work here, and whether processes "
        + "migrate between them (CRIU). Exit 1 when real nodes do not work.")
public final class DoctorCommand implements Callable<Integer> {
    @Option(names = {"-k", "--kernel"}, paramLabel = "KERNEL", description = "UML kernel to try (default: the installed one).")
    Path kernel;

    @Option(names = {"-r", "--root"}, paramLabel = "ROOT", description = "Root image to boot (default: ./root_fs, "
            + "or a probe image made for the check when there is none).")
    Path root;

    @Override
    public Integer call() throws java.io.IOException {
        if (kernel != null && !(java.nio.file.Files.isRegularFile(kernel) && java.nio.file.Files.isExecutable(kernel))) {
            throw new dev.ssilab.state.UserError("kernel not found or not executable: " + kernel
                    + " (give a UML kernel binary with -k, or leave -k out to check the one 'ssilab kernel install' made)");
        }
        Doctor doctor = new Doctor(SsilabPaths.fromEnvironment(System.getenv()), System.out::println);
        if (root == null && !java.nio.file.Files.exists(Path.of("root_fs"))) {
            // Asked before any root image was fetched (the course does so in its requirements): the
            // question is whether this machine runs real nodes, so probe with an image of our own.
            Path probe = java.nio.file.Files.createTempDirectory("ssilab-doctor-root");
            try {
                System.out.println("Root image: none here yet (./root_fs); making a probe image from ssilab's recipe ...");
                new RootfsBuilder(Home.content().resolve("rootfs"), line -> {}).build(probe.resolve("root_fs"));
                return diagnose(doctor, probe.resolve("root_fs"));
            } finally {
                dev.ssilab.state.FileTrees.delete(probe);
            }
        }
        return diagnose(doctor, root == null ? Path.of("root_fs") : root);
    }

    /**
     * Real nodes, then (when they work) process migration between them. The exit status says whether
     * real nodes work; migration is a line of its own, with its fix, as the lessons that need it say.
     */
    private int diagnose(Doctor doctor, Path rootImage) {
        Doctor.Report report = doctor.check(kernel, rootImage);
        if (!report.ok()) {
            System.out.println("NOT OK: " + report.reason());
            System.out.println("Fix: " + report.fix());
            return 1;
        }
        Doctor.Report migration = doctor.checkMigration(kernel, rootImage);
        System.out.println(migration.ok() ? "Migration: OK: " + migration.reason() + "."
                : "Migration: NOT OK: " + migration.reason() + " (fix: " + migration.fix() + ")");
        System.out.println("OK: " + report.reason() + ".");
        return 0;
    }
}
