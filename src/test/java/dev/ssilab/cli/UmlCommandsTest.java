package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.uml.CriuStore;
import dev.ssilab.cluster.uml.KernelStore;
import dev.ssilab.state.SsilabPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ssilab kernel status, rootfs build and doctor, run as real processes with private XDG folders. */
class UmlCommandsTest {

    static BuildCommandsTest.Run ssilab(Path dir, String... args) throws Exception {
        return BuildCommandsTest.ssilab(dir, Map.of(), null, 60, args);
    }

    @Test
    void kernelStatusFailsWithoutAKernelAndSaysHowToGetOne(@TempDir Path dir) throws Exception {
        BuildCommandsTest.Run r = ssilab(dir, "kernel", "status");
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("ssilab kernel install"), r.out());
    }

    @Test
    void kernelStatusSaysWhereTheWorkingKernelIs(@TempDir Path dir) throws Exception {
        Path real = new KernelStore(SsilabPaths.fromEnvironment(System.getenv())).current()
                .orElseThrow(() -> new AssertionError("no UML kernel installed on this machine: run 'ssilab kernel install'"));
        // the machine's kernel is built with today's patches and config: its key ends with their hash
        String key = real.getParent().getFileName().toString();
        Path cache = dir.resolve("cache/ssilab/kernels");
        Files.createDirectories(cache.resolve(key));
        Files.createSymbolicLink(cache.resolve(key + "/linux"), real);
        Files.writeString(cache.resolve("current"), key + "\n");
        BuildCommandsTest.Run r = ssilab(dir, "kernel", "status");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().matches("UML kernel 7\\.\\d+\\S* installed at .*" + key + "/linux\\s*"), r.out());
    }

    @Test
    void kernelStatusFailsWhenTheKernelWasBuiltWithOtherPatchesOrConfig(@TempDir Path dir) throws Exception {
        Path real = new KernelStore(SsilabPaths.fromEnvironment(System.getenv())).current()
                .orElseThrow(() -> new AssertionError("no UML kernel installed on this machine: run 'ssilab kernel install'"));
        Path cache = dir.resolve("cache/ssilab/kernels");
        Files.createDirectories(cache.resolve("7.2.13-1-000000000000"));
        Files.createSymbolicLink(cache.resolve("7.2.13-1-000000000000/linux"), real);
        Files.writeString(cache.resolve("current"), "7.2.13-1-000000000000\n");
        BuildCommandsTest.Run r = ssilab(dir, "kernel", "status");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("other patches or config options") && r.out().contains("ssilab kernel install"), r.out());
    }

    @Test
    void kernelStatusFailsWhenTheInstalledFileIsNotAKernel(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache/ssilab/kernels");
        Files.createDirectories(cache.resolve("k1"));
        Files.createSymbolicLink(cache.resolve("k1/linux"), Path.of("/bin/false"));
        Files.writeString(cache.resolve("current"), "k1\n");
        BuildCommandsTest.Run r = ssilab(dir, "kernel", "status");
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("does not run here"), r.out());
    }

    @Test
    void rootfsBuildWritesRootFsInTheCurrentFolder(@TempDir Path dir) throws Exception {
        BuildCommandsTest.Run r = ssilab(dir, "rootfs", "build");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.size(dir.resolve("root_fs")) > 1_000_000);
        BuildCommandsTest.Run bad = ssilab(dir, "rootfs", "build", "-o", "missing/dir/img");
        assertEquals(1, bad.exit());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().startsWith("ssilab: cannot write the root image to "), bad.err());
        assertFalse(Files.exists(dir.resolve("missing")));
    }

    @Test
    void doctorExplainsAMissingKernelAndAMissingRoot(@TempDir Path dir) throws Exception {
        BuildCommandsTest.Run noKernel = ssilab(dir, "doctor");
        assertEquals(1, noKernel.exit());
        assertTrue(noKernel.out().contains("ssilab kernel install"), noKernel.out());

        BuildCommandsTest.Run noRoot = ssilab(dir, "doctor", "-k", new KernelStore(SsilabPaths.fromEnvironment(System.getenv())).current()
                .orElseThrow().toString(), "-r", "nothing_here");
        assertEquals(1, noRoot.exit());
        assertTrue(noRoot.out().contains("ssilab rootfs build"), noRoot.out());
    }

    @Test
    void doctorBootsARealNodeWhenKernelAndRootAreThere(@TempDir Path dir) throws Exception {
        Path kernel = new KernelStore(SsilabPaths.fromEnvironment(System.getenv())).current()
                .orElseThrow(() -> new AssertionError("no UML kernel installed on this machine: run 'ssilab kernel install'"));
        assertEquals(0, ssilab(dir, "rootfs", "build").exit());
        BuildCommandsTest.Run r = ssilab(dir, "doctor", "-k", kernel.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("OK: real UML nodes work here"), r.out());
        assertTrue(r.out().contains("ran 'uname -r' -> 7."), r.out());
        // this test's own cache has no CRIU: the doctor says so, and how to get it; the nodes still work
        assertTrue(r.out().contains("Migration: NOT OK: CRIU is not installed") && r.out().contains("ssilab criu install"), r.out());
    }

    @Test
    void doctorMovesAProcessBetweenTwoRealNodesWhenCriuIsInstalled(@TempDir Path dir) throws Exception {
        SsilabPaths machine = SsilabPaths.fromEnvironment(System.getenv());
        Path kernel = new KernelStore(machine).current()
                .orElseThrow(() -> new AssertionError("no UML kernel installed on this machine: run 'ssilab kernel install'"));
        String key = new CriuStore(machine).currentKey()
                .orElseThrow(() -> new AssertionError("no CRIU installed on this machine: run 'ssilab criu install'"));
        // this test's cache gets the machine's CRIU (a link), nothing else of it
        Path criu = dir.resolve("cache/ssilab/criu");
        Files.createDirectories(criu);
        Files.createSymbolicLink(criu.resolve(key), new CriuStore(machine).root().resolve(key));
        Files.writeString(criu.resolve("current"), key + "\n");
        assertEquals(0, ssilab(dir, "rootfs", "build").exit());
        BuildCommandsTest.Run r = ssilab(dir, "doctor", "-k", kernel.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().matches("(?s).*Migration probe: pid 1\\d{5} node 1 -> 2: total \\d+ ms.*"), r.out());
        assertTrue(r.out().contains("Migration: OK: processes migrate between real nodes here (CRIU)."), r.out());
    }

    @Test
    void kernelInstallRefusesWhileAnotherInstallRuns(@TempDir Path dir) throws Exception {
        Path kernels = dir.resolve("cache/ssilab/kernels");
        Files.createDirectories(kernels);
        try (var ch = java.nio.channels.FileChannel.open(kernels.resolve(".install.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             var lock = ch.lock()) {
            BuildCommandsTest.Run r = ssilab(dir, "kernel", "install");
            assertEquals(1, r.exit());
            assertTrue(r.err().startsWith("ssilab: another 'ssilab kernel install' is running"), r.err());
            assertFalse(Files.exists(kernels.resolve("build")), "nothing started");
        }
    }
}
