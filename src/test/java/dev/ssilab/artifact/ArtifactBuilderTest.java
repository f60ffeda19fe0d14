package dev.ssilab.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactBuilderTest {
    @TempDir
    Path tmp;

    private final List<String> notes = new ArrayList<>();

    private ArtifactBuilder builder() {
        return new ArtifactBuilder(Progress.Factory.NONE, notes::add, Map.of());
    }

    private Path root() throws IOException {
        return TestFiles.write(tmp.resolve("root_fs"), TestFiles.data(400_000, 31));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void buildsTheThreeArtifactsAndAManifestThatMatchesThem() throws IOException {
        Path dir = tmp.resolve("artifacts");
        ArtifactBuilder.Result r = builder().build(dir, Optional.of(root()), tmp, "1.2.3");
        assertEquals(List.of("MANIFEST", "root_fs.ssi.bz2", "ssi-uml-1.2.3.tar.bz2", "uml_utilities_ssilab.tar.bz2"), names(dir));
        Manifest onDisk = Manifest.parse(Files.readString(dir.resolve("MANIFEST")), "MANIFEST");
        assertEquals(r.manifest(), onDisk);
        for (ManifestEntry e : onDisk.entries()) {
            assertEquals(Files.size(dir.resolve(e.name())), e.size(), e.name());
            assertEquals(Sha256.of(dir.resolve(e.name())), e.sha256(), e.name());
        }
        Path out = tmp.resolve("root_fs.again");
        new Extractor(Progress.Factory.NONE).decompress(dir.resolve("root_fs.ssi.bz2"), out);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("root_fs")), Files.readAllBytes(out));
    }

    @Test
    void buildsAreReproducible() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        builder().build(a, Optional.of(root()), tmp, "1.0");
        builder().build(b, Optional.of(root()), tmp, "1.0");
        for (String n : names(a)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(n)), Files.readAllBytes(b.resolve(n)), n);
        }
    }

    @Test
    void aFailedBuildLeavesThePreviousArtifactsIntact() throws IOException {
        Path dir = tmp.resolve("artifacts");
        builder().build(dir, Optional.of(root()), tmp, "1.0");
        byte[] manifest = Files.readAllBytes(dir.resolve("MANIFEST"));
        byte[] image = Files.readAllBytes(dir.resolve("root_fs.ssi.bz2"));
        ArtifactException missing = assertThrows(ArtifactException.class,
                () -> builder().build(dir, Optional.of(tmp.resolve("no-such-image")), tmp, "2.0"));
        assertTrue(missing.getMessage().startsWith("root image not found: "), missing.getMessage());
        ArtifactException none = assertThrows(ArtifactException.class, () -> builder().build(dir, Optional.empty(), tmp, "2.0"));
        assertTrue(none.getMessage().contains("ssilab rootfs build -o root_fs"), none.getMessage());
        Path unreadable = Files.createDirectories(tmp.resolve("a-folder")); // a folder is not an image
        assertThrows(ArtifactException.class, () -> builder().build(dir, Optional.of(unreadable), tmp, "2.0"));
        assertArrayEquals(manifest, Files.readAllBytes(dir.resolve("MANIFEST")));
        assertArrayEquals(image, Files.readAllBytes(dir.resolve("root_fs.ssi.bz2")));
        assertEquals(List.of("MANIFEST", "root_fs.ssi.bz2", "ssi-uml-1.0.tar.bz2", "uml_utilities_ssilab.tar.bz2"), names(dir));
    }

    @Test
    void aNewVersionReplacesTheOldTarball() throws IOException {
        Path dir = tmp.resolve("artifacts");
        builder().build(dir, Optional.of(root()), tmp, "1.0");
        builder().build(dir, Optional.of(root()), tmp, "1.1");
        assertEquals(List.of("MANIFEST", "root_fs.ssi.bz2", "ssi-uml-1.1.tar.bz2", "uml_utilities_ssilab.tar.bz2"), names(dir));
        assertTrue(notes.contains("removed ssi-uml-1.0.tar.bz2 (no longer built)"), notes.toString());
    }

    @Test
    void theTarballsInstallWithMakeWithoutRoot() throws Exception {
        Path dir = tmp.resolve("artifacts");
        Path fakeHome = Files.createDirectories(tmp.resolve("ssilab-home/bin"));
        Path fakeSsilab = fakeHome.resolve("ssilab");
        // a stand-in ssilab that shows how it was called: the launchers' contract
        Files.writeString(fakeSsilab, "#!/bin/sh\necho \"$SSILAB_PROG: $*\"\n");
        fakeSsilab.toFile().setExecutable(true);
        builder().build(dir, Optional.of(root()), fakeHome.getParent(), "9.9");
        Path work = Files.createDirectories(tmp.resolve("work"));
        Extractor x = new Extractor(Progress.Factory.NONE);
        x.extract(dir.resolve("ssi-uml-9.9.tar.bz2"), work, null, tmp);
        x.extract(dir.resolve("uml_utilities_ssilab.tar.bz2"), work, null, tmp);
        Path prefix = tmp.resolve("prefix");
        assertEquals(0, run(work.resolve("ssi-uml-9.9"), "make", "install", "PREFIX=" + prefix));
        assertEquals(0, run(work.resolve("tools"), "make", "install", "PREFIX=" + prefix));
        for (String p : List.of("ssi-start", "ssi-add", "ssi-ls", "ssi-rm", "ssi-stop", "uml_mconsole", "uml_switch", "uml_mkcow", "uml_moo")) {
            assertTrue(Files.getPosixFilePermissions(prefix.resolve("bin").resolve(p)).contains(PosixFilePermission.OWNER_EXECUTE), p);
        }
        ProcessBuilder pb = new ProcessBuilder(prefix.resolve("bin/ssi-start").toString(), "4").redirectErrorStream(true);
        pb.environment().remove("SSILAB_HOME");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals("ssi-start: cluster start 4", out);
    }

    private static int run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                return -1;
            }
            return p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }
}
