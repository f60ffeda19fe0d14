package dev.ssilab.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ssilab.cli.SsilabProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12, fault class "full disk": a small tmpfs (mounted by each test: the suite runs as root) fills
 * up during {@code ssilab fetch}, {@code ssilab extract}, {@code ssilab artifacts build}, and under the
 * state folder while the tutor saves progress or {@code cluster start} writes the registry. Each time:
 * exit status non-zero (not 70), one line on stderr that says the disk is full, which folder, and what to
 * do; nothing under the final name (an older good file of that name is left as it was), no temp file left
 * (fetch documents resuming from its .part, so that one may stay), no cluster manager left running; and once
 * space is freed (the tmpfs remounted bigger, or a filler removed) the same command succeeds.
 */
class FullDiskTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private final Deque<Path> mounts = new ArrayDeque<>();

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null) {
            server.stop(0);
        }
        FaultKit.killManagersOf(tmp);
        // Unmounted even when the test failed: a tmpfs left mounted would outlive the @TempDir it is in.
        while (!mounts.isEmpty()) {
            Path dir = mounts.pop();
            if (sh("umount", dir.toString()) != 0) {
                sh("umount", "-l", dir.toString());
            }
        }
    }

    // ---- fetch ----

    @Test
    void fetchBiggerThanTheFreeSpaceIsRefusedAndLeavesTheOldFileAlone() throws Exception {
        Path disk = mount(tmp.resolve("disk"), "2m");
        byte[] body = random(3 << 20, 1);
        String url = serve(body, true);
        Path target = disk.resolve("big.bin");
        Files.writeString(target, "an older file of the same name\n");
        TreeMap<String, String> before = FaultKit.snapshot(disk);

        SsilabProcess.Result r = FaultKit.ssilab(tmp).run("", "fetch", "--mirror", url, "big.bin", "-o", target.toString());
        assertDiskFull("fetch -o on a full disk", r, disk);
        assertEquals(before, FaultKit.snapshot(disk), "the older big.bin is untouched and nothing else is left");

        remount(disk, "8m");
        SsilabProcess.Result again = FaultKit.ssilab(tmp).run("", "fetch", "--mirror", url, "big.bin", "-o", target.toString());
        assertEquals(0, again.exit(), "the same fetch succeeds once there is room: " + again.err());
        assertArrayEquals(body, Files.readAllBytes(target));
        assertEquals(List.of("big.bin"), names(disk), "only the file is left");
    }

    @Test
    void fetchWhosePartFillsTheDiskMidwayStopsAndResumesOnceThereIsRoom() throws Exception {
        // No Content-Length and no MANIFEST (--no-check): ssilab cannot tell the size before it writes,
        // so the .part itself runs into the full disk.
        Path disk = mount(tmp.resolve("disk"), "2m");
        byte[] body = random(3 << 20, 2);
        String url = serve(body, false) + "big.bin";
        Path target = disk.resolve("big.bin");

        SsilabProcess.Result r = FaultKit.ssilab(tmp).run("", "fetch", "--no-check", url, "-o", target.toString());
        assertDiskFull("fetch whose .part fills the disk", r, disk);
        assertFalse(Files.exists(target), "no half-written file under the final name");
        for (String left : names(disk)) {
            assertEquals(".big.bin.part", left, "only the documented .part may stay");
        }

        remount(disk, "8m");
        SsilabProcess.Result again = FaultKit.ssilab(tmp).run("", "fetch", "--no-check", url, "-o", target.toString());
        assertEquals(0, again.exit(), "the same fetch succeeds once there is room: " + again.err());
        assertArrayEquals(body, Files.readAllBytes(target));
        assertEquals(List.of("big.bin"), names(disk), "the .part became the file");
    }

    // ---- extract ----

    @Test
    void extractOfAFileThatDoesNotFitLeavesNothingAndTheOldFileAlone() throws Exception {
        Path disk = mount(tmp.resolve("disk"), "2m");
        byte[] data = text(6 << 20, 3);
        Path bz = compress(data, tmp.resolve("big.bz2"));
        Files.writeString(disk.resolve("big"), "an older file of the same name\n");
        TreeMap<String, String> before = FaultKit.snapshot(disk);

        SsilabProcess.Result r = FaultKit.ssilab(tmp).timeout(java.time.Duration.ofSeconds(90))
                .run("", "extract", bz.toString(), "-C", disk.toString());
        assertDiskFull("extract -C a full disk", r, disk);
        assertEquals(before, FaultKit.snapshot(disk), "the older file is untouched and no temp file is left");

        // Extraction keeps a reserve free on the target (Extractor.FREE_RESERVE), so "room" is generous here.
        remount(disk, "64m");
        SsilabProcess.Result again = FaultKit.ssilab(tmp).timeout(java.time.Duration.ofSeconds(90))
                .run("", "extract", bz.toString(), "-C", disk.toString());
        // The name ssilab picks never replaces a file of the learner's: the old one is still in the way,
        // and the learner moves it away.
        assertNotEquals(0, again.exit(), "the older big is not replaced: " + again.err());
        assertEquals("an older file of the same name\n", Files.readString(disk.resolve("big")));
        Files.delete(disk.resolve("big"));
        again = FaultKit.ssilab(tmp).timeout(java.time.Duration.ofSeconds(90)).run("", "extract", bz.toString(), "-C", disk.toString());
        assertEquals(0, again.exit(), "the same extract succeeds once there is room: " + again.err());
        assertArrayEquals(data, Files.readAllBytes(disk.resolve("big")));
    }

    @Test
    void extractOfATarballThatDoesNotFitLeavesNoFileUnderItsName() throws Exception {
        Path disk = mount(tmp.resolve("disk"), "2m");
        Path src = Files.createDirectories(tmp.resolve("src/pkg"));
        byte[] a = random(1 << 20, 4);
        byte[] b = random(3 << 20, 5);
        Files.write(src.resolve("a.bin"), a);
        Files.write(src.resolve("b.bin"), b);
        Path tgz = tmp.resolve("pkg.tar.gz");
        assertEquals(0, sh("tar", "-C", tmp.resolve("src").toString(), "-czf", tgz.toString(), "pkg"));

        SsilabProcess.Result r = FaultKit.ssilab(tmp).timeout(java.time.Duration.ofSeconds(90))
                .run("", "extract", tgz.toString(), "-C", disk.toString());
        assertDiskFull("extract of a tarball -C a full disk", r, disk);
        assertEquals(List.of(), names(disk), "nothing is left of the cut-short unpacking");

        remount(disk, "64m");
        SsilabProcess.Result again = FaultKit.ssilab(tmp).timeout(java.time.Duration.ofSeconds(90))
                .run("", "extract", tgz.toString(), "-C", disk.toString());
        assertEquals(0, again.exit(), "the same extract succeeds once there is room: " + again.err());
        assertArrayEquals(a, Files.readAllBytes(disk.resolve("pkg/a.bin")));
        assertArrayEquals(b, Files.readAllBytes(disk.resolve("pkg/b.bin")));
    }

    // ---- artifacts build ----

    @Test
    void artifactsBuildIntoAFullFolderKeepsTheOldManifestAndSucceedsOnceThereIsRoom() throws Exception {
        Path disk = mount(tmp.resolve("disk"), "2m");
        Path root = tmp.resolve("root_fs");
        Files.write(root, random(3 << 20, 6)); // random bytes: bzip2 cannot make them fit in 2 MB
        Path out = Files.createDirectories(disk.resolve("artifacts"));
        Files.writeString(out.resolve("MANIFEST"), "an older MANIFEST\n");
        TreeMap<String, String> before = FaultKit.snapshot(disk);

        SsilabProcess.Result r = FaultKit.ssilab(tmp).timeout(java.time.Duration.ofSeconds(120))
                .run("", "artifacts", "build", "--root", root.toString(), "--dir", out.toString());
        assertDiskFull("artifacts build into a full folder", r, disk);
        assertTrue(r.err().contains(out.toString()) && !r.err().contains(".build-"),
                "names the artifacts folder, not its staging folder that is gone: " + r.err());
        assertEquals(before, FaultKit.snapshot(disk), "the older MANIFEST is untouched and nothing else is left");

        remount(disk, "64m");
        SsilabProcess.Result again = FaultKit.ssilab(tmp).timeout(java.time.Duration.ofSeconds(120))
                .run("", "artifacts", "build", "--root", root.toString(), "--dir", out.toString());
        assertEquals(0, again.exit(), "the same build succeeds once there is room: " + again.err());
        assertTrue(Files.readString(out.resolve("MANIFEST")).contains("root_fs"), "a new MANIFEST");
    }

    // ---- the state folder ----

    @Test
    void theTutorOnAFullStateFolderKeepsTheSavedProgress() throws Exception {
        Path state = mount(tmp.resolve("state"), "2m"); // SsilabProcess's XDG_STATE_HOME
        SsilabProcess.Result first = FaultKit.ssilab(tmp).run("answer b\nquit\n");
        assertEquals(0, first.exit(), "the first session saves its progress: " + first.err());
        Path progress = state.resolve("ssilab/progress.properties");
        assertTrue(Files.isRegularFile(progress), "a progress file was saved: " + FaultKit.snapshot(state));
        String savedProgress = Files.readString(progress);

        Path filler = fill(state);
        TreeMap<String, String> saved = FaultKit.snapshot(state);
        SsilabProcess.Result r = FaultKit.ssilab(tmp).run("next\nquit\n");
        assertDiskFull("the tutor saving progress on a full disk", r, state);
        assertEquals(saved, FaultKit.snapshot(state), "the saved progress is not truncated and no temp file is left");

        Files.delete(filler);
        SsilabProcess.Result again = FaultKit.ssilab(tmp).run("next\nquit\n");
        assertEquals(0, again.exit(), "the same session succeeds once there is room: " + again.err());
        assertNotEquals(savedProgress, Files.readString(progress), "the progress moved on");
    }

    @Test
    void clusterStartOnAFullStateFolderLeavesNoManagerAndKeepsTheRegistry() throws Exception {
        Path state = mount(tmp.resolve("state"), "2m"); // SsilabProcess's XDG_STATE_HOME
        SsilabProcess ssilab = FaultKit.startedSimCluster(tmp, 2); // cluster 10001 in the registry
        try {
            Path filler = fill(state);
            TreeMap<String, String> before = FaultKit.snapshot(state);
            List<Long> managers = FaultKit.managersOf(tmp);

            SsilabProcess.Result r = ssilab.run("", "cluster", "start", "2");
            assertDiskFull("cluster start on a full state folder", r, state);
            assertNoNewManager(managers);
            assertEquals(before, FaultKit.snapshot(state), "the registry of cluster 10001 is as it was; no temp file is left");
            SsilabProcess.Result ls = ssilab.run("", "cluster", "ls");
            assertEquals(0, ls.exit(), ls.err());
            assertTrue(ls.out().lines().anyMatch(l -> l.startsWith("10001 ")), "10001 is still listed: " + ls.out());
            assertFalse(ls.out().lines().anyMatch(l -> l.startsWith("10002 ")), "no half-made 10002: " + ls.out());

            Files.delete(filler);
            SsilabProcess.Result again = ssilab.run("", "cluster", "start", "2");
            assertEquals(List.of("Cluster 10002 has been started with 2 nodes"), again.out().lines().toList(), again.err());
            assertEquals(0, ssilab.run("", "cluster", "stop", "10002").exit());
        } finally {
            ssilab.run("", "cluster", "stop", "10001");
            ssilab.run("", "cluster", "stop", "10002");
        }
    }

    // ---- the kit ----

    /**
     * Exit status non-zero and not 70 (an internal error), one line on stderr that says the disk is full,
     * names the folder (or a file in it) and says to free some space; no Java text.
     */
    private static void assertDiskFull(String what, SsilabProcess.Result r, Path disk) {
        // fetch --no-check's documented note (the file is saved UNCHECKED) is not an error line.
        String err = r.err().lines().filter(l -> !l.contains("it is saved UNCHECKED (--no-check)"))
                .map(l -> l + "\n").reduce("", String::concat);
        assertNotEquals(0, r.exit(), what + ": exit status: " + r.err());
        assertNotEquals(70, r.exit(), what + ": not an internal error: " + err);
        assertEquals(1, err.lines().count(), what + ": one line on stderr: " + err);
        String line = err.strip().toLowerCase(Locale.ROOT);
        assertTrue(line.contains("disk full") || line.contains("disk is full") || line.contains("running out of space"), what + ": says the disk is full: " + err);
        assertTrue(err.contains(disk.toString()), what + ": names the folder " + disk + ": " + err);
        assertTrue(line.contains("free some space") || line.contains("free space"), what + ": says what to do: " + err);
        FaultKit.noJavaText(what, err + r.out());
    }

    private Path mount(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String[] cmd = {"mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()};
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("cannot mount a " + size + " tmpfs on " + dir + " (" + out + "): the full-disk tests need root"
                    + " and permission to mount (run them as root, in a container with CAP_SYS_ADMIN)");
        }
        mounts.push(dir);
        return dir;
    }

    /** More room on the same tmpfs, its files kept: the learner freed space. */
    private static void remount(Path dir, String size) throws IOException, InterruptedException {
        assertEquals(0, sh("mount", "-o", "remount,size=" + size, dir.toString()), "remount " + dir);
    }

    /** Fills {@code disk} to its last byte with a file named filler, and returns it. */
    private static Path fill(Path disk) throws IOException {
        Path filler = disk.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int chunk : new int[] {64 << 10, 4096, 1}) {
                byte[] b = new byte[chunk];
                try {
                    while (true) {
                        out.write(b);
                        out.flush();
                    }
                } catch (IOException full) {
                    // on to the next, smaller chunk
                }
            }
        } catch (IOException full) {
            // the close may report the full disk again
        }
        assertEquals(0, Files.getFileStore(disk).getUsableSpace(), "the disk " + disk + " is full");
        return filler;
    }

    /** No manager beyond {@code expected} is left: one started for the refused cluster ends (it may take a moment). */
    private void assertNoNewManager(List<Long> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Long> now = FaultKit.managersOf(tmp);
        while (!now.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = FaultKit.managersOf(tmp);
        }
        assertEquals(expected, now, "no orphan cluster manager");
    }

    private static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Low-entropy text: compresses well, so the archive is small and its content is not. */
    private static byte[] text(int n, long seed) {
        byte[] b = new byte[n];
        Random r = new Random(seed);
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('a' + r.nextInt(12));
        }
        return b;
    }

    private static Path compress(byte[] data, Path bz) throws IOException, InterruptedException {
        Process bzip2 = new ProcessBuilder("bzip2", "-1", "-c").redirectOutput(bz.toFile()).start();
        try (OutputStream in = bzip2.getOutputStream()) {
            in.write(data);
        }
        assertEquals(0, bzip2.waitFor());
        return bz;
    }

    /**
     * A loopback server of big.bin; with {@code manifest}, also a MANIFEST that lists it (so ssilab knows its
     * size before it writes), else none and the body without a Content-Length (chunked). Honours
     * "Range: bytes=N-" (resume).
     */
    private String serve(byte[] body, boolean manifest) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                answer(exchange, body, manifest);
            } catch (IOException clientGone) {
                // The client stopped reading (its disk is full): expected here.
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private static void answer(HttpExchange ex, byte[] body, boolean manifest) throws IOException {
        int from = FaultKit.answerHead(ex, body, manifest, manifest);
        if (from >= 0) {
            OutputStream out = ex.getResponseBody();
            out.write(body, from, body.length - from);
        }
    }
}
