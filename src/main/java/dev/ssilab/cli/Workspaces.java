package dev.ssilab.cli;

import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.UserError;
import dev.ssilab.artifact.Artifacts;
import dev.ssilab.artifact.Progress;
import dev.ssilab.cluster.Clusters;
import dev.ssilab.step.CourseArtifacts;
import dev.ssilab.step.CourseMirror;
import java.util.function.Consumer;
import dev.ssilab.step.ClusterAccess;
import dev.ssilab.step.RegistryClusterAccess;
import dev.ssilab.step.CourseWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Opens the course workspace the command line describes. */
final class Workspaces {
    private Workspaces() {}

    static SsilabPaths paths() {
        return SsilabPaths.fromEnvironment(System.getenv());
    }

    static CourseWorkspace open(CourseOptions options, Path workdir, boolean interactiveStdin) {
        return new CourseWorkspace(options.courseDir(), Home.locate(), options.backend(), workdir,
                clusters(), interactiveStdin, mirror(), paths().cacheHome().resolve("course"));
    }

    /** The course's downloads come from SSILAB_MIRROR, or from a mirror ssilab starts when first needed. */
    static CourseMirror mirror() {
        var env = System.getenv();
        Consumer<String> note = line -> System.err.println("ssilab: " + line);
        var artifacts = new CourseArtifacts(Artifacts.defaultDir(paths()), Home.locate(), note,
                Progress.Factory.forTerminal(System.console() != null, env, System.err), env);
        return new CourseMirror(env.get("SSILAB_MIRROR"), artifacts, note);
    }

    static ClusterAccess clusters() {
        return new RegistryClusterAccess(new Clusters(paths()));
    }

    /** A new, empty workdir for a headless run, so every step starts from nothing as in CI. */
    static Path freshWorkdir(SsilabPaths paths, String kind) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            Files.createDirectories(paths.dataHome().resolve("runs"));
            return Files.createTempDirectory(paths.dataHome().resolve("runs"), kind + "-" + stamp + "-");
        } catch (IOException e) {
            throw new UserError("cannot create a workdir under " + paths.dataHome() + ": " + e.getMessage() + " (pass --workdir DIR)");
        }
    }
}
