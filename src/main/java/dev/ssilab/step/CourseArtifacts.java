package dev.ssilab.step;

import dev.ssilab.artifact.ArtifactBuilder;
import dev.ssilab.artifact.Artifacts;
import dev.ssilab.artifact.Manifest;
import dev.ssilab.artifact.ManifestEntry;
import dev.ssilab.artifact.Progress;
import dev.ssilab.cluster.RootImageMaker;
import dev.ssilab.state.AtomicFiles;
import dev.ssilab.state.FileTrees;
import dev.ssilab.state.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The course's downloadable files (root image, tarballs, MANIFEST): built from ssilab's own root image
 * recipe and tools when they are missing, so a learner offline still downloads real files.
 */
public final class CourseArtifacts {
    private final Path dir;
    private final Path home;
    private final Consumer<String> notes;
    private final Progress.Factory progress;
    private final Map<String, String> env;

    public CourseArtifacts(Path dir, Path home, Consumer<String> notes, Progress.Factory progress, Map<String, String> env) {
        this.dir = dir;
        this.home = home;
        this.notes = notes;
        this.progress = progress;
        this.env = env;
    }

    public Path dir() {
        return dir;
    }

    /** Where the fingerprint of what the artifacts were built from is kept, beside them. */
    private Path inputsFile() {
        return dir.resolve(".inputs");
    }

    /**
     * True when the MANIFEST is there, every file it lists has its size, and they were built from the
     * inputs there are now: this ssilab's folder (its launchers name it), version, root image recipe
     * and busybox. A cache built by another checkout, or before content/rootfs changed, is rebuilt.
     */
    public boolean complete() {
        Path manifest = dir.resolve(Manifest.FILE_NAME);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            if (!Files.isRegularFile(inputsFile()) || !Files.readString(inputsFile()).strip().equals(inputs())) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        try {
            Manifest m = Manifest.parse(Files.readString(manifest), manifest.toString());
            if (m.find(Artifacts.ssiUml(Artifacts.ssilabVersion())).isEmpty()) {
                return false; // built by another ssilab version: its launchers name that version
            }
            for (ManifestEntry e : m.entries()) {
                Path f = dir.resolve(e.name());
                if (!Files.isRegularFile(f) || Files.size(f) != e.size()) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Builds the artifacts unless they are complete; returns their folder. */
    public Path ensureBuilt() {
        if (!complete()) {
            notes.accept("preparing the course's downloads in " + dir + " (once; a few seconds) ...");
            build(Optional.empty());
            AtomicFiles.writeString(inputsFile(), inputs() + "\n");
        }
        return dir;
    }

    /** A fingerprint of everything the artifacts are made from (see {@link #complete()}). */
    String inputs() {
        java.security.MessageDigest md = dev.ssilab.artifact.Sha256.newDigest();
        Path recipe = home.resolve("content/rootfs");
        StringBuilder meta = new StringBuilder("home=" + home.toAbsolutePath().normalize() + "\nversion=" + Artifacts.ssilabVersion() + "\n");
        try (java.util.stream.Stream<Path> walk = Files.walk(recipe)) {
            for (Path p : walk.sorted().toList()) {
                String rel = recipe.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    meta.append("l ").append(rel).append(" -> ").append(Files.readSymbolicLink(p)).append('\n');
                } else if (Files.isDirectory(p)) {
                    meta.append("d ").append(rel).append('\n');
                } else {
                    meta.append("f ").append(rel).append(Files.isExecutable(p) ? " x" : "").append('\n');
                    dev.ssilab.artifact.Sha256.update(md, p);
                }
            }
            Path busybox = Path.of("/bin/busybox");
            if (Files.exists(busybox)) {
                meta.append("busybox ").append(Files.size(busybox)).append(' ').append(Files.getLastModifiedTime(busybox)).append('\n');
            }
        } catch (IOException e) {
            return "unreadable: " + e.getMessage(); // never equal to a stored fingerprint's hex: the artifacts are rebuilt
        }
        md.update(meta.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return dev.ssilab.artifact.Sha256.hex(md);
    }

    /** Builds the artifacts from {@code root}, or from a root image made now when it is empty. */
    public ArtifactBuilder.Result build(Optional<Path> root) {
        ArtifactBuilder builder = new ArtifactBuilder(progress, notes, env);
        if (root.isPresent()) {
            return builder.build(dir, root, home, Artifacts.ssilabVersion());
        }
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempDirectory(dir, ".root-");
            Path image = tmp.resolve("root_fs");
            RootImageMaker.find().build(home.resolve("content/rootfs"), image, notes);
            return builder.build(dir, Optional.of(image), home, Artifacts.ssilabVersion());
        } catch (IOException e) {
            throw new UserError("cannot prepare the course's downloads in " + dir + ": " + e.getMessage());
        } finally {
            FileTrees.deleteQuietly(tmp);
        }
    }
}
