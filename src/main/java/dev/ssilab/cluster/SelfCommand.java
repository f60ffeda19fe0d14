package dev.ssilab.cluster;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The command line that runs ssilab again in a new JVM: this JVM's java binary and class path, so a
 * manager or console window runs the very code that started it (the jar, or the test classes).
 */
final class SelfCommand {
    private static final String DEFAULT_JAVA_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto";

    private SelfCommand() {}

    /** java, its options (SSILAB_CLUSTERD_JAVA_OPTS overrides), -cp, the main class, then {@code args}. */
    static List<String> of(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String opts = System.getenv().getOrDefault("SSILAB_CLUSTERD_JAVA_OPTS", DEFAULT_JAVA_OPTS);
        Arrays.stream(opts.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(command::add);
        // The launcher's class-data archive (SSILAB_CDS_ARCHIVE) fits this same jar: a manager or console
        // maps it too and starts sooner.
        String archive = System.getenv("SSILAB_CDS_ARCHIVE");
        if (archive != null && !archive.isBlank() && java.nio.file.Files.isRegularFile(Path.of(archive))) {
            command.add("-XX:SharedArchiveFile=" + archive);
            command.add("-Xlog:cds=off");
            command.add("-Xlog:cds+dynamic=off");
        }
        command.add("-cp");
        command.add(absoluteClassPath());
        command.add(mainClass());
        command.addAll(List.of(args));
        return command;
    }

    /** The front end's main class, as it registers itself (see {@link EntryPoint}). */
    private static String mainClass() {
        return ServiceLoader.load(EntryPoint.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + EntryPoint.class.getName()
                        + " on the class path (META-INF/services): nothing can run a manager or a console"))
                .mainClass().getName();
    }

    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isEmpty())
                .map(s -> Path.of(s).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
