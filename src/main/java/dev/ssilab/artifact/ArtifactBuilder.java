package dev.ssilab.artifact;

import dev.ssilab.state.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code ssilab artifacts build}: makes the course's downloadable files (the compressed root image,
 * the UML utilities tarball, the ssi-uml tarball) and their MANIFEST in the artifacts folder.
 *
 * <p>Reproducible (fixed mtimes, sorted entries, bzip2 output independent of thread count) and all or
 * nothing: everything is built in a hidden staging folder and moved into place only when complete,
 * MANIFEST last, so a failed build leaves the previous artifacts as they were.
 */
public final class ArtifactBuilder {
    private static final String TEMPLATES = "/dev/ssilab/artifact/tarballs/";
    private static final List<String[]> SSI_COMMANDS = List.of(
            new String[] {"ssi-start", "cluster start"},
            new String[] {"ssi-add", "cluster add"},
            new String[] {"ssi-ls", "cluster ls"},
            new String[] {"ssi-rm", "cluster rm"},
            new String[] {"ssi-stop", "cluster stop"});
    private static final List<String[]> UML_TOOLS = List.of(
            new String[] {"uml_mconsole", "the cluster manager talks to each node's mconsole itself"},
            new String[] {"uml_switch", "the cluster manager runs each cluster's switch itself"},
            new String[] {"uml_mkcow", "ssi-start makes each node's copy-on-write file"},
            new String[] {"uml_moo", "a cluster's copy-on-write files are discarded with it"});

    /** What a build produced. */
    public record Result(Path dir, Manifest manifest) {}

    private final Progress.Factory progress;
    private final Consumer<String> notes;
    private final Instant mtime;
    private final int threads;

    public ArtifactBuilder(Progress.Factory progress, Consumer<String> notes, Map<String, String> env) {
        this.progress = progress;
        this.notes = notes;
        this.mtime = sourceDateEpoch(env);
        this.threads = Runtime.getRuntime().availableProcessors();
    }

    /**
     * Builds into {@code dir}. {@code root} is the node root image to publish; {@code ssilabHome} is the
     * installation the ssi-uml launchers call; {@code version} names the ssi-uml tarball.
     */
    public Result build(Path dir, Optional<Path> root, Path ssilabHome, String version) {
        Path rootImage = root.orElseThrow(() -> new ArtifactException("a root image is needed to build "
                + Artifacts.ROOT_IMAGE + ": make one with 'ssilab rootfs build -o root_fs', then run"
                + " 'ssilab artifacts build --root root_fs'"));
        Path image = rootImage.toAbsolutePath().normalize();
        if (!Files.isRegularFile(image)) {
            throw new ArtifactException("root image not found: " + image + " (make one with 'ssilab rootfs build -o root_fs')");
        }
        if (!Files.isReadable(image)) {
            throw new ArtifactException("cannot read the root image " + image + ": permission denied");
        }
        if (!version.matches("[0-9A-Za-z._-]+")) {
            throw new ArtifactException("bad version '" + version + "' for the ssi-uml tarball name");
        }
        Path target = dir.toAbsolutePath().normalize();
        try (TempFiles temps = new TempFiles()) {
            Path staging;
            try {
                Files.createDirectories(target);
                staging = temps.register(Files.createTempDirectory(target, ".build-"));
            } catch (IOException e) {
                throw WriteFailure.of(target, e);
            }
            try {
                compressRoot(image, staging.resolve(Artifacts.ROOT_IMAGE));
                writeTarball(staging.resolve(Artifacts.UML_UTILITIES), umlUtilities(version));
                writeTarball(staging.resolve(Artifacts.ssiUml(version)), ssiUml(version, ssilabHome));
                List<ManifestEntry> entries = new ArrayList<>();
                for (String name : List.of(Artifacts.ROOT_IMAGE, Artifacts.UML_UTILITIES, Artifacts.ssiUml(version))) {
                    Path f = staging.resolve(name);
                    entries.add(new ManifestEntry(name, Files.size(f), Sha256.of(f)));
                }
                Manifest manifest = new Manifest(entries);
                Files.writeString(staging.resolve(Manifest.FILE_NAME), manifest.format(), StandardCharsets.UTF_8);
                Optional<Manifest> previous = previousManifest(target);
                publish(staging, target, manifest, previous);
                return new Result(target, manifest);
            } catch (IOException e) {
                // Name the artifacts folder, not the hidden staging folder: that one is gone when the learner reads this.
                throw WriteFailure.of(target, e);
            }
        }
    }

    private void compressRoot(Path image, Path out) throws IOException {
        long size = Files.size(image);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(image), 1 << 20);
             OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20);
             Progress p = progress.start("compressing " + image.getFileName(), size, 0)) {
            new ParallelBzip2Compressor(threads).compress(in, os, p);
        }
    }

    private static void writeTarball(Path out, ReproducibleTarball tarball) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out))) {
            tarball.writeBzip2(os);
        }
    }

    private ReproducibleTarball ssiUml(String version, Path ssilabHome) {
        String top = "ssi-uml-" + version + "/";
        String home = ssilabHome.toAbsolutePath().normalize().toString();
        ReproducibleTarball t = new ReproducibleTarball(mtime);
        t.add(top + "README", template("ssi-uml/README", Map.of("VERSION", version, "SSILAB_HOME", home)), false);
        t.add(top + "Makefile", template("ssi-uml/Makefile", Map.of("VERSION", version)), false);
        for (String[] c : SSI_COMMANDS) {
            t.add(top + c[0], template("ssi-uml/launcher.sh", Map.of("VERSION", version, "COMMAND", c[0],
                    "SUBCOMMAND", c[1], "SSILAB_HOME", home.replace("'", "'\"'\"'"))), true);
        }
        return t;
    }

    private ReproducibleTarball umlUtilities(String version) {
        ReproducibleTarball t = new ReproducibleTarball(mtime);
        t.add("tools/README", template("uml-utilities/README", Map.of("VERSION", version)), false);
        t.add("tools/Makefile", template("uml-utilities/Makefile", Map.of()), false);
        for (String[] tool : UML_TOOLS) {
            t.add("tools/" + tool[0], template("uml-utilities/wrapper.sh", Map.of("TOOL", tool[0], "WHY", tool[1])), true);
        }
        return t;
    }

    private static String template(String name, Map<String, String> vars) {
        String text;
        try (InputStream in = ArtifactBuilder.class.getResourceAsStream(TEMPLATES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + TEMPLATES + name + " in the ssilab jar");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
        for (var v : vars.entrySet()) {
            text = text.replace("%%" + v.getKey() + "%%", v.getValue());
        }
        return text;
    }

    private static Optional<Manifest> previousManifest(Path target) {
        Path m = target.resolve(Manifest.FILE_NAME);
        try {
            return Files.isRegularFile(m) ? Optional.of(Manifest.parse(Files.readString(m), m.toString())) : Optional.empty();
        } catch (IOException | ArtifactException e) {
            return Optional.empty(); // an unreadable old MANIFEST is simply replaced
        }
    }

    /** Moves the artifacts in, MANIFEST last, then removes files only the previous MANIFEST listed. */
    private void publish(Path staging, Path target, Manifest manifest, Optional<Manifest> previous) throws IOException {
        for (ManifestEntry e : manifest.entries()) {
            AtomicFiles.moveAtomically(staging.resolve(e.name()), target.resolve(e.name()));
        }
        AtomicFiles.moveAtomically(staging.resolve(Manifest.FILE_NAME), target.resolve(Manifest.FILE_NAME));
        if (previous.isPresent()) {
            for (ManifestEntry old : previous.get().entries()) {
                if (manifest.find(old.name()).isEmpty()) {
                    Files.deleteIfExists(target.resolve(old.name()));
                    notes.accept("removed " + old.name() + " (no longer built)");
                }
            }
        }
    }

    private static Instant sourceDateEpoch(Map<String, String> env) {
        String s = env.get("SOURCE_DATE_EPOCH");
        if (s != null && s.matches("[0-9]{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(s));
        }
        return ReproducibleTarball.DEFAULT_MTIME;
    }
}
