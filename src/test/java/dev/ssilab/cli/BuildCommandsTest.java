package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands the lessons on building a kernel and a root use, run as real processes with private
 * XDG folders: kernel source, kernel progress, rootfs base/tools/build --from, and ssi-start's checks
 * of -k and -i.
 */
class BuildCommandsTest {

    record Run(int exit, String out, String err) {}

    static Run ssilab(Path dir, Map<String, String> env, Path stdin, String... args) throws Exception {
        return ssilab(dir, env, stdin, 120, args);
    }

    /** ssilab's main class as its own process in {@code dir}, with XDG folders inside it; waits at most {@code seconds}. */
    static Run ssilab(Path dir, Map<String, String> env, Path stdin, int seconds, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.ssilab.cli.Main"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
        pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
        pb.environment().put("SSILAB_HOME", System.getProperty("ssilab.home"));
        pb.environment().remove("SSILAB_PROGRESS");
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null")) : ProcessBuilder.Redirect.from(stdin.toFile()));
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "ssilab " + String.join(" ", args) + " finished");
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    static Run ssilab(Path dir, String... args) throws Exception {
        return ssilab(dir, Map.of(), null, args);
    }

    static Path cachedSource(Path dir) throws Exception {
        Path t = dir.resolve("cache/ssilab/kernels/source/7.2.13-1/linux-source-7.2.tar.xz");
        Files.createDirectories(t.getParent());
        Files.writeString(t, "pretend tarball");
        return t;
    }

    @Test
    void kernelSourceReusesTheCachedTarballWithoutNetwork(@TempDir Path dir) throws Exception {
        Path cached = cachedSource(dir);
        // a mirror that cannot answer: the cached source must not need it
        Run r = ssilab(dir, Map.of("SSILAB_DEBIAN_MIRROR", "http://127.0.0.1:9/debian"), null, "kernel", "source");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("linux-source-7.2.tar.xz: Linux 7.2.13 (Debian's 7.2.13-1), from ssilab's cache "), r.out());
        assertTrue(r.out().contains("(no download)"), r.out());
        assertTrue(Files.isSameFile(cached, dir.resolve("linux-source-7.2.tar.xz")), "a link to the cached file, no copy");
        assertFalse(Files.exists(dir.resolve("cache/ssilab/kernels/apt")), "Debian was not asked");

        Run bad = ssilab(dir, "kernel", "source", "-o", "no/such/dir");
        assertEquals(1, bad.exit());
        assertEquals("ssilab: cannot put the kernel source in " + dir.resolve("no/such/dir") + ": no such folder", bad.err().strip());
    }

    @Test
    void kernelSourceRefreshFallsBackToTheCacheWhenDebianCannotBeReached(@TempDir Path dir) throws Exception {
        cachedSource(dir);
        Run r = ssilab(dir, Map.of("SSILAB_DEBIAN_MIRROR", "http://127.0.0.1:9/debian"), null, "kernel", "source", "--refresh");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("linux-source-7.2.tar.xz: Linux 7.2.13 (Debian's 7.2.13-1), from ssilab's cache (Debian could not be reached: "),
                r.out());
    }

    @Test
    void kernelSourceWithNothingCachedAndNoNetworkSaysSoInOneLine(@TempDir Path dir) throws Exception {
        Run r = ssilab(dir, Map.of("SSILAB_DEBIAN_MIRROR", "http://127.0.0.1:9/debian"), null, "kernel", "source");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("ssilab: apt-get update of Debian unstable failed"), r.err());
    }

    @Test
    void kernelProgressFoldsStepsPassesErrorsAndFailsWithMake(@TempDir Path dir) throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.txt"), "  CC      init/main.o\n  CC      kernel/fork.o\n  LINK linux\n");
        Run r = ssilab(dir, Map.of(), ok, "kernel", "progress");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("  ... 1 objects"), r.out());
        assertFalse(r.out().contains("kernel/fork.o\n"), "step lines are folded: " + r.out());
        assertTrue(r.out().contains("ssilab: make ended after "), r.out());

        Path failed = Files.writeString(dir.resolve("failed.txt"),
                "  CC      init/main.o\ninit/main.c:1:1: error: unknown type name 'x'\nmake[1]: *** [scripts/Makefile.build:229: init/main.o] Error 1\n");
        Run f = ssilab(dir, Map.of(), failed, "kernel", "progress");
        assertEquals(2, f.exit());
        assertTrue(f.out().contains("init/main.c:1:1: error: unknown type name 'x'\n"), f.out());
        assertTrue(f.out().contains("The kernel build FAILED"), f.out());
    }

    @Test
    void rootfsPiecesBuildAnImageByHand(@TempDir Path dir) throws Exception {
        assertEquals(0, ssilab(dir, "rootfs", "base", "-o", "myroot").exit());
        Run tools = ssilab(dir, "rootfs", "tools");
        assertEquals(0, tools.exit(), tools.err());
        assertTrue(tools.out().startsWith("Cluster tools written: " + dir.resolve("ssi-tools")), tools.out());
        Process make = new ProcessBuilder("make", "-s", "install", "DESTDIR=" + dir.resolve("myroot"))
                .directory(dir.resolve("ssi-tools").toFile()).redirectErrorStream(true).start();
        String makeOut = new String(make.getInputStream().readAllBytes());
        assertEquals(0, make.waitFor(), makeOut);
        Run image = ssilab(dir, "rootfs", "build", "--from", "myroot", "-o", "myroot_fs");
        assertEquals(0, image.exit(), image.err());
        assertTrue(Files.size(dir.resolve("myroot_fs")) > 1_000_000);

        Run again = ssilab(dir, "rootfs", "base", "-o", "myroot");
        assertEquals(1, again.exit());
        assertEquals("ssilab: " + dir.resolve("myroot") + " already exists and is not an empty folder: remove it first, or give another name",
                again.err().strip());
        Run noInit = ssilab(dir, "rootfs", "build", "--from", "ssi-tools/opt", "-o", "x");
        assertEquals(1, noInit.exit());
        assertEquals(1, noInit.err().strip().lines().count(), noInit.err());
        assertTrue(noInit.err().contains("has no sbin/init"), noInit.err());
    }

    @Test
    void ssiStartRefusesAWrongKernelOrInitrdInOneLineAndStartsNothing(@TempDir Path dir) throws Exception {
        assertEquals(0, ssilab(dir, "rootfs", "build").exit());
        Files.writeString(dir.resolve("notes.txt"), "not a ramdisk\n");
        String kernel = dev.ssilab.cluster.uml.UmlTestSupport.installedKernel().toString();
        Run notInitrd = ssilab(dir, "cluster", "start", "--backend", "uml", "-k", kernel, "-i", "notes.txt", "1");
        assertEquals(1, notInitrd.exit());
        assertEquals(1, notInitrd.err().strip().lines().count(), notInitrd.err());
        assertTrue(notInitrd.err().startsWith("ssilab: cluster 10001 could not start: initrd " + dir.resolve("notes.txt")
                + " is not an initramfs"), notInitrd.err());

        Path script = Files.writeString(dir.resolve("kernel.sh"), "#!/bin/sh\necho 7.2\n");
        script.toFile().setExecutable(true);
        Run textKernel = ssilab(dir, "cluster", "start", "--backend", "uml", "-k", "kernel.sh", "1");
        assertEquals(1, textKernel.exit());
        assertEquals(1, textKernel.err().strip().lines().count(), textKernel.err());
        assertTrue(textKernel.err().contains("is not a program (no ELF header)"), textKernel.err());

        Run missing = ssilab(dir, "cluster", "start", "--backend", "uml", "-i", "initrd.img", "1");
        assertEquals(1, missing.exit());
        assertEquals("ssilab: initrd initrd.img not found (give an existing file with -i INITRD)", missing.err().strip());

        Run ls = ssilab(dir, "cluster", "ls");
        assertTrue(ls.out().contains("No clusters have been found"), "nothing left running: " + ls.out());
    }
}
