package dev.ssilab.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
    private static final String NAME = "root_fs.ssi.bz2";

    @TempDir
    Path tmp;

    private Path artifacts;
    private byte[] data;
    private String manifest;
    private final List<AutoCloseable> servers = new ArrayList<>();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final List<String> mirrorLog = new CopyOnWriteArrayList<>();

    @BeforeEach
    void artifacts() throws IOException {
        artifacts = tmp.resolve("artifacts");
        data = TestFiles.data(300_000, 11);
        TestFiles.write(artifacts.resolve(NAME), data);
        manifest = new Manifest(List.of(new ManifestEntry(NAME, data.length, Sha256.of(artifacts.resolve(NAME))))).format();
        Files.writeString(artifacts.resolve("MANIFEST"), manifest);
    }

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    private Downloader downloader() {
        return new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(2), Progress.Factory.NONE, notes::add);
    }

    private URI mirror() {
        MirrorServer s = MirrorServer.start(artifacts, "127.0.0.1", 0, mirrorLog::add);
        servers.add(s);
        return s.url();
    }

    /** A server with one handler per path, for the misbehaving cases a real mirror never shows. */
    private URI scripted(java.util.Map<String, com.sun.net.httpserver.HttpHandler> handlers) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers.forEach(s::createContext);
        s.start();
        servers.add(() -> s.stop(0));
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort() + "/");
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void fullDownloadIsVerifiedAndRenamedIntoPlace() throws IOException {
        Path target = tmp.resolve("learner").resolve(NAME);
        Downloader.Result r = downloader().fetch(NAME, target, List.of(mirror()));
        assertArrayEquals(data, Files.readAllBytes(target));
        assertEquals(Sha256.of(target), r.sha256());
        assertEquals(0, r.resumedFrom());
        assertFalse(Files.exists(target.resolveSibling("." + NAME + ".part")));
        Downloader.Result again = downloader().fetch(NAME, target, List.of(mirror()));
        assertTrue(again.alreadyPresent());
    }

    @Test
    void aPartialFileThatIsALinkIsDroppedAndItsTargetLeftAlone() throws IOException {
        Path target = tmp.resolve("learner").resolve(NAME);
        Files.createDirectories(target.getParent());
        Path victim = tmp.resolve("victim.txt");
        Files.writeString(victim, "precious");
        Files.createSymbolicLink(target.resolveSibling("." + NAME + ".part"), victim);
        Downloader.Result r = downloader().fetch(NAME, target, List.of(mirror()));
        assertEquals(0, r.resumedFrom(), "nothing is resumed from a link");
        assertArrayEquals(data, Files.readAllBytes(target));
        assertEquals("precious", Files.readString(victim));
    }

    @Test
    void aDeviceOrFolderIsNeverReplaced() throws Exception {
        Path fifo = tmp.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
        ArtifactException e = assertThrows(ArtifactException.class, () -> downloader().fetch(NAME, fifo, List.of(mirror())));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertFalse(Files.isRegularFile(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertThrows(ArtifactException.class, () -> downloader().fetch(NAME, tmp, List.of(mirror())));
    }

    @Test
    void verifyChecksTheLocalFileWithoutDownloading() throws IOException {
        Path target = tmp.resolve(NAME);
        URI m = mirror();
        ArtifactException missing = assertThrows(ArtifactException.class, () -> downloader().verify(NAME, target, List.of(m)));
        assertTrue(missing.getMessage().contains("not found: fetch it with 'ssilab fetch " + NAME + "'"), missing.getMessage());
        Files.write(target, data);
        assertTrue(downloader().verify(NAME, target, List.of(m)).alreadyPresent());
        byte[] other = data.clone();
        other[5] ^= 1;
        Files.write(target, other);
        ArtifactException wrong = assertThrows(ArtifactException.class, () -> downloader().verify(NAME, target, List.of(m)));
        assertTrue(wrong.getMessage().contains("does not match the MANIFEST"), wrong.getMessage());
        assertTrue(mirrorLog.stream().noneMatch(l -> l.contains("GET /" + NAME)), "nothing downloaded: " + mirrorLog);
    }

    @Test
    void aDownloadCutMidwayResumesWithRangeAndEndsWithTheRightChecksum() throws IOException {
        int cut = data.length / 3;
        URI broken = scripted(java.util.Map.of(
                "/MANIFEST", ex -> send(ex, 200, manifest.getBytes(StandardCharsets.UTF_8)),
                "/" + NAME, ex -> {
                    ex.sendResponseHeaders(200, data.length);
                    OutputStream out = ex.getResponseBody();
                    out.write(data, 0, cut);
                    out.flush();
                    ex.getHttpContext().getServer().stop(0); // the connection drops mid-way
                }));
        Path target = tmp.resolve("learner").resolve(NAME);
        Path part = target.resolveSibling("." + NAME + ".part");
        ArtifactException e = assertThrows(ArtifactException.class, () -> downloader().fetch(NAME, target, List.of(broken)));
        assertTrue(e.getMessage().contains("run the same command again to resume"), e.getMessage());
        assertFalse(Files.exists(target));
        assertTrue(Files.size(part) > 0 && Files.size(part) <= cut, "partial kept: " + Files.size(part));
        long had = Files.size(part);

        Downloader.Result r = downloader().fetch(NAME, target, List.of(mirror()));
        assertEquals(had, r.resumedFrom());
        long deadline = System.nanoTime() + 2_000_000_000L; // the line is logged just after the last byte
        while (mirrorLog.stream().noneMatch(l -> l.contains(" 206 ")) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(mirrorLog.stream().anyMatch(l -> l.contains("GET /" + NAME + " 206 " + (data.length - had))), mirrorLog.toString());
        assertArrayEquals(data, Files.readAllBytes(target));
        assertEquals(Sha256.of(artifacts.resolve(NAME)), Sha256.of(target));
        assertFalse(Files.exists(part));
    }

    @Test
    void aCorruptDownloadIsRefusedAndTheOldGoodFileKept() throws IOException {
        byte[] corrupt = data.clone();
        corrupt[1234] ^= 1;
        URI bad = scripted(java.util.Map.of(
                "/MANIFEST", ex -> send(ex, 200, manifest.getBytes(StandardCharsets.UTF_8)),
                "/" + NAME, ex -> send(ex, 200, corrupt)));
        Path target = tmp.resolve("learner").resolve(NAME);
        byte[] oldGood = "an older good file".getBytes(StandardCharsets.UTF_8);
        TestFiles.write(target, oldGood);
        ArtifactException e = assertThrows(ArtifactException.class, () -> downloader().fetch(NAME, target, List.of(bad)));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertArrayEquals(oldGood, Files.readAllBytes(target));
        assertFalse(Files.exists(target.resolveSibling("." + NAME + ".part")), "the bad bytes are not kept");
    }

    @Test
    void aMissingFileIsA404Line() {
        Path target = tmp.resolve(NAME);
        ArtifactException e = assertThrows(ArtifactException.class,
                () -> downloader().fetch("nope.bz2", target, List.of(mirror())));
        assertTrue(e.getMessage().startsWith("cannot fetch nope.bz2 from http://127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains("has no nope.bz2"), e.getMessage());
        ArtifactException url = assertThrows(ArtifactException.class,
                () -> downloader().fetch(mirror().resolve("gone.bz2").toString(), tmp.resolve("gone.bz2"), List.of(), true));
        assertTrue(url.getMessage().contains("HTTP 404"), url.getMessage());
    }

    @Test
    void aRefusedConnectionSaysSo() throws IOException {
        URI down = URI.create("http://127.0.0.1:" + freePort() + "/");
        ArtifactException e = assertThrows(ArtifactException.class,
                () -> downloader().fetch(NAME, tmp.resolve(NAME), List.of(down)));
        assertTrue(e.getMessage().contains("connection refused by 127.0.0.1:"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve(NAME)));
    }

    @Test
    void aSilentServerTimesOut() throws IOException {
        URI silent = scripted(java.util.Map.of("/", ex -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }));
        ArtifactException e = assertThrows(ArtifactException.class,
                () -> downloader().fetch(NAME, tmp.resolve(NAME), List.of(silent)));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    }

    @Test
    void theNextMirrorIsTriedWhenTheFirstIsDown() throws IOException {
        URI down = URI.create("http://127.0.0.1:" + freePort() + "/");
        Path target = tmp.resolve(NAME);
        Downloader.Result r = downloader().fetch(NAME, target, List.of(down, mirror()));
        assertArrayEquals(data, Files.readAllBytes(target));
        assertTrue(r.source().toString().startsWith(mirrorLog.isEmpty() ? "?" : "http://127.0.0.1:"));
        assertTrue(notes.stream().anyMatch(n -> n.contains(down.toString()) && n.contains("trying the next one")), notes.toString());
    }

    @Test
    void allMirrorsFailingIsOneLineNamingEach() throws IOException {
        URI a = URI.create("http://127.0.0.1:" + freePort() + "/");
        URI b = URI.create("http://127.0.0.1:" + freePort() + "/");
        ArtifactException e = assertThrows(ArtifactException.class, () -> downloader().fetch(NAME, tmp.resolve(NAME), List.of(a, b)));
        assertTrue(e.getMessage().contains("any of 2 mirrors") && e.getMessage().contains(a.toString())
                && e.getMessage().contains(b.toString()), e.getMessage());
    }

    @Test
    void mirrorListsComeFromOptionsOrTheEnvironment() {
        assertEquals(List.of(URI.create("http://a:1/"), URI.create("http://b:2/x/")),
                MirrorList.resolve(List.of(), java.util.Map.of("SSILAB_MIRROR", "http://a:1, http://b:2/x")));
        assertEquals(List.of(URI.create("http://c:3/")),
                MirrorList.resolve(List.of("http://c:3/"), java.util.Map.of("SSILAB_MIRROR", "http://a:1")));
        assertThrows(ArtifactException.class, () -> MirrorList.resolve(List.of("ftp://x/"), java.util.Map.of()));
    }

    @Test
    void aPlaceThatTakesNoFilesIsNotCalledAFullDisk() {
        ArtifactException e = assertThrows(ArtifactException.class,
                () -> downloader().fetch(NAME, Path.of("/proc/version"), List.of(mirror())));
        assertFalse(e.getMessage().contains("disk full"), e.getMessage());
        assertFalse(e.getMessage().contains("-C"), "fetch has no -C: " + e.getMessage());
        assertTrue(e.getMessage().contains("cannot save into /proc: it does not take new files"), e.getMessage());
        assertTrue(e.getMessage().contains("save elsewhere with -o FILE"), e.getMessage());
    }

    @Test
    void anEndlessBodyIsCutAtTheManifestSizeAndDiscarded() throws IOException {
        URI endless = scripted(java.util.Map.of(
                "/MANIFEST", ex -> send(ex, 200, manifest.getBytes(StandardCharsets.UTF_8)),
                "/" + NAME, ex -> {
                    ex.sendResponseHeaders(200, 0); // chunked, no Content-Length
                    byte[] chunk = new byte[1 << 16];
                    try (OutputStream out = ex.getResponseBody()) {
                        for (long sent = 0; sent < 1L << 30; sent += chunk.length) { // 1 GiB, or until the client leaves
                            out.write(chunk);
                        }
                    } catch (IOException gone) {
                        // the client stopped reading: what we want
                    }
                }));
        Path target = tmp.resolve(NAME);
        ArtifactException e = assertThrows(ArtifactException.class, () -> downloader().fetch(NAME, target, List.of(endless)));
        assertTrue(e.getMessage().contains("sent more than the " + data.length + " bytes the MANIFEST says"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(target.resolveSibling("." + NAME + ".part")), "the bad .part is discarded");
    }

    @Test
    void aManifestOverOneMibIsRefusedNotCut() throws IOException {
        // a real entry, then padding: cut at 1 MiB it would still parse (the entry is in the first bytes)
        StringBuilder big = new StringBuilder(manifest);
        while (big.length() <= (1 << 20)) {
            big.append("# padding padding padding padding padding padding padding padding padding padding\n");
        }
        byte[] body = big.toString().getBytes(StandardCharsets.UTF_8);
        byte[] file = Files.readAllBytes(artifacts.resolve(NAME));
        for (boolean withLength : List.of(true, false)) {
            URI huge = scripted(java.util.Map.of(
                    "/MANIFEST", ex -> {
                        ex.sendResponseHeaders(200, withLength ? body.length : 0);
                        try (OutputStream out = ex.getResponseBody()) {
                            out.write(body);
                        } catch (IOException gone) {
                            // refused early
                        }
                    },
                    "/" + NAME, ex -> send(ex, 200, file)));
            ArtifactException e = assertThrows(ArtifactException.class,
                    () -> downloader().fetch(NAME, tmp.resolve(NAME), List.of(huge)));
            assertTrue(e.getMessage().contains("MANIFEST is larger than 1 MiB"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve(NAME)));
        }
    }

    @Test
    void escapeSequencesFromTheServerNeverReachTheTerminalRaw() throws IOException {
        String sha = "0".repeat(64);
        for (String evil : List.of(sha + "  \u001b]0;pwned\u0007\u001b[2J  " + NAME + "\n", // bad size: quoted back
                sha + "  12  ok\u001b[31mred\n", // a name with an escape
                sha + "  12  other.bz2\n" + sha + "  12  x\u202egnp.exe\n")) { // "it serves: ..." lists the names
            URI m = scripted(java.util.Map.of("/MANIFEST", ex -> send(ex, 200, evil.getBytes(StandardCharsets.UTF_8))));
            ArtifactException e = assertThrows(ArtifactException.class, () -> downloader().fetch(NAME, tmp.resolve(NAME), List.of(m)));
            assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == 0x202e), e.getMessage());
            assertTrue(e.getMessage().contains("\\x1b") || e.getMessage().contains("\\u202e"), e.getMessage());
        }
    }

    @Test
    void aServerTricklingAByteAtATimeIsGivenUpAndThePartialKept() throws IOException {
        byte[] file = Files.readAllBytes(artifacts.resolve(NAME));
        URI trickle = scripted(java.util.Map.of(
                "/MANIFEST", ex -> send(ex, 200, manifest.getBytes(StandardCharsets.UTF_8)),
                "/" + NAME, ex -> {
                    ex.sendResponseHeaders(200, file.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        for (byte b : file) {
                            out.write(b);
                            out.flush();
                            Thread.sleep(100);
                        }
                    } catch (IOException | InterruptedException gone) {
                        // the client gave up: what we want
                    }
                }));
        Path target = tmp.resolve(NAME);
        ArtifactException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(ArtifactException.class, () -> downloader().fetch(NAME, target, List.of(trickle))));
        assertTrue(e.getMessage().contains("from " + trickle + " (too slow: only "), e.getMessage());
        assertTrue(e.getMessage().contains("is kept: run the same command again to resume"), e.getMessage());
        assertTrue(Files.size(target.resolveSibling("." + NAME + ".part")) > 0, "the partial download is kept for resume");
        assertFalse(Files.exists(target));

        byte[] text = manifest.getBytes(StandardCharsets.UTF_8);
        URI slowManifest = scripted(java.util.Map.of("/MANIFEST", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 1 << 20; i++) {
                    out.write(text[i % text.length]);
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException gone) {
                // the client gave up
            }
        }));
        ArtifactException m = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(ArtifactException.class, () -> downloader().fetch(NAME, tmp.resolve("m"), List.of(slowManifest))));
        assertTrue(m.getMessage().contains("too slow: its MANIFEST did not arrive within"), m.getMessage());
    }

    @Test
    void aHeadTrickledAByteAtATimeIsGivenUp() throws IOException {
        // each byte comes well within the read timeout, so only the watchdog on the whole head can end this
        ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        servers.add(ss);
        Thread t = new Thread(() -> {
            try (java.net.Socket s = ss.accept()) {
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nX-Drip: ".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 300; i++) {
                    out.write('a');
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (IOException | InterruptedException gone) {
                // the client gave up: what we want
            }
        });
        t.setDaemon(true);
        t.start();
        URI drip = URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/");
        ArtifactException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(15),
                () -> assertThrows(ArtifactException.class, () -> downloader().fetch(NAME, tmp.resolve(NAME), List.of(drip))));
        assertTrue(e.getMessage().contains("timed out waiting for 127.0.0.1:" + ss.getLocalPort()
                + ": the head of its answer did not arrive within 4 s"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve(NAME)));
    }

    @Test
    void aUrlWithoutManifestIsRefusedUnlessExplicitlyUnchecked() throws IOException {
        byte[] file = Files.readAllBytes(artifacts.resolve(NAME));
        URI bare = scripted(java.util.Map.of("/" + NAME, ex -> send(ex, 200, file))); // MANIFEST: 404
        Path target = tmp.resolve(NAME);
        Files.writeString(target, "the learner's good file");
        String url = bare.resolve(NAME).toString();
        ArtifactException e = assertThrows(ArtifactException.class, () -> downloader().fetch(url, target, List.of()));
        assertTrue(e.getMessage().contains("no MANIFEST beside it lists " + NAME), e.getMessage());
        assertTrue(e.getMessage().contains("--no-check"), e.getMessage());
        assertEquals("the learner's good file", Files.readString(target), "nothing replaced");
        Downloader.Result r = downloader().fetch(url, target, List.of(), true);
        assertFalse(r.checked());
        assertArrayEquals(file, Files.readAllBytes(target));
        assertTrue(notes.stream().anyMatch(n -> n.contains("UNCHECKED")), notes.toString());
        assertTrue(downloader().fetch(NAME, tmp.resolve("checked"), List.of(mirror())).checked());
    }
}
