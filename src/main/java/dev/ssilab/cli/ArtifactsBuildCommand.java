package dev.ssilab.cli;

import dev.ssilab.artifact.ArtifactBuilder;
import dev.ssilab.artifact.Artifacts;
import dev.ssilab.artifact.ManifestEntry;
import dev.ssilab.artifact.Progress;
import dev.ssilab.state.SsilabPaths;
import dev.ssilab.step.CourseArtifacts;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ssilab artifacts build [--dir DIR] [--root FILE]}: makes the downloadable files and their MANIFEST. */
@Command(name = "build", mixinStandardHelpOptions = true, description = {
        "Make the course's downloadable files: " + Artifacts.ROOT_IMAGE + ", " + Artifacts.UML_UTILITIES
                + ", ssi-uml-VERSION.tar.bz2,",
        "and a MANIFEST (sha256, size, name) in the artifacts folder, which 'ssilab mirror serve' serves."})
final class ArtifactsBuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Artifacts folder (default: $XDG_CACHE_HOME/ssilab/artifacts).")
    Path dir;

    @Option(names = "--root", paramLabel = "FILE", description = "The node root image to publish as " + Artifacts.ROOT_IMAGE
            + " (default: one made now, as 'ssilab rootfs build' makes it).")
    Path root;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        String prog = spec.root().name();
        Path folder = dir != null ? dir : Artifacts.defaultDir(SsilabPaths.fromEnvironment(env));
        Progress.Factory bar = Progress.Factory.forTerminal(System.console() != null, env, System.err);
        // Without --root, the root image is made now from ssilab's own recipe (as 'ssilab rootfs build' does).
        CourseArtifacts artifacts = new CourseArtifacts(folder, Home.locate(), note -> System.err.println(prog + ": " + note), bar, env);
        ArtifactBuilder.Result r = artifacts.build(Optional.ofNullable(root));
        System.out.println("Built in " + r.dir() + ":");
        for (ManifestEntry e : r.manifest().entries()) {
            System.out.println("  " + e.line());
        }
        System.out.println("Serve them with: " + prog + " mirror serve" + (dir != null ? " --dir " + r.dir() : ""));
        return 0;
    }
}
