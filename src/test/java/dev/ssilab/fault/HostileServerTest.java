package dev.ssilab.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cli.SsilabProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12, hostile HTTP servers: {@code ssilab fetch} as a real process against loopback servers that
 * misbehave on purpose (raw sockets, so the server can say anything, drip, stall or hang up), one method
 * per class of fault. {@code DownloaderTest} covers several of these in-process; here the whole command
 * is judged as a learner sees it.
 *
 * <p>Each fetch must: exit non-zero (unless it legitimately succeeds, with the right bytes); print ONE
 * line on stderr, {@code ssilab: ...}, naming what was wrong, with no Java exception text and no raw
 * control character; leave nothing under the target name but the right bytes (or the learner's older
 * file, untouched); keep {@code .big.bin.part} only where a resume makes sense, never longer than the
 * MANIFEST size; and end within a bound taken from the fetch's own limits (FetchCommand's Downloader:
 * 10 s to connect, a 30 s read timeout, at least 16 KiB in every 30 s window of a body, a MANIFEST
 * within 30 s, and the head of an answer within 32 s, the read timeout and 2 s):
 * <ul>
 * <li>{@link #PROMPT}, 20 s: the server answers at once, however wrongly, so no timeout is involved and the
 * fetch must end well under the 30 s read timeout: passing proves it did not merely wait one out (the
 * 20 s are a JVM's start on a busy two-core machine, and loopback round trips);</li>
 * <li>{@link #STALLED}, 45 s: the server stalls or drips; the fetch gives up after one 30 s window (32 s for
 * a dripped head), plus at most one drip interval (1 s) and the same JVM start.</li>
 * </ul>
 *
 * <p>The stalled cases take their 30 s by design. So that the class takes about one of them rather than
 * their sum, every case is started in {@link #startAll} (the processes mostly wait on sockets: stalled ones
 * on threads of their own, prompt ones two at a time), and each method waits for its own cases, bounded by
 * its {@code @Timeout}.
 */
class HostileServerTest {
    static final Duration PROMPT = Duration.ofSeconds(20);
    static final Duration STALLED = Duration.ofSeconds(45);

    private static final String NAME = "big.bin";
    private static final byte[] BODY = new byte[64 << 10];
    private static final String OLD = "the learner's older copy\n";

    static {
        new Random(12).nextBytes(BODY);
    }

    private static final String MANIFEST = sha256(BODY) + "  " + BODY.length + "  " + NAME + "\n";

    @TempDir
    static Path tmp;

    private static final List<Hostile> servers = new CopyOnWriteArrayList<>();
    private static final Map<String, CompletableFuture<Run>> runs = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    /** The Range header last received by any server ("bytes=N-"); only the resume check reads it. */
    private static final java.util.concurrent.atomic.AtomicReference<String> rangeStart =
            new java.util.concurrent.atomic.AtomicReference<>("bytes=0-");
    private static ExecutorService prompt;
    private static ExecutorService stalled;

    /** One fetch: its exit status and output, how long it took, and the folder it saved into. */
    record Run(String name, int exit, String out, String err, long millis, Path dir, Duration bound, boolean hung) {
        String all() {
            return name + ": exit " + exit + " after " + millis + " ms\nstdout: " + out + "\nstderr: " + err;
        }

        Path target() {
            return dir.resolve(NAME);
        }

        Path part() {
            return dir.resolve("." + NAME + ".part");
        }
    }

    /** What must become of the partial download. */
    enum Part { KEPT, GONE }

    // ---------------------------------------------------------------------------------------------------
    // The cases, all started at once.

    @BeforeAll
    static void startAll() throws IOException {
        prompt = Executors.newFixedThreadPool(2);
        stalled = Executors.newCachedThreadPool();

        // Stalled servers first: they take their 30 s while the prompt ones run.
        start("drip body", STALLED, false, mirrorWith((s, path, out) -> {
            head(out, "200 OK", "Content-Length: " + BODY.length);
            for (byte b : BODY) {
                out.write(b);
                out.flush();
                Thread.sleep(1000);
            }
        }));
        start("drip head", STALLED, false, mirrorWith((s, path, out) -> {
            out.write("HTTP/1.1 200 OK\r\nX-Drip: ".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 600; i++) {
                out.write('a');
                out.flush();
                Thread.sleep(1000);
            }
        }));
        start("never answers", STALLED, false, (s, path, out) -> {
            s.getInputStream().read(); // until the client gives up (or the server stops)
        });

        // HTTP errors, with a MANIFEST that lists the file.
        start("404", PROMPT, false, mirrorWith((s, path, out) -> head(out, "404 Not Found", "Content-Length: 0")));
        start("500", PROMPT, true, mirrorWith((s, path, out) -> {
            head(out, "500 Internal Server Error", "Content-Length: 5");
            out.write("oops\n".getBytes(StandardCharsets.US_ASCII));
        }));
        String html = "<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head>\n<body><h1>Forbidden</h1>\n"
                + "<p>You don't have permission to access this resource.</p>\n</body></html>\n";
        start("403 html", PROMPT, true, mirrorWith((s, path, out) -> {
            head(out, "403 Forbidden", "Content-Type: text/html; charset=iso-8859-1", "Content-Length: " + html.length());
            out.write(html.getBytes(StandardCharsets.US_ASCII));
        }));
        start("500 manifest", PROMPT, false, (s, path, out) -> {
            head(out, "500 Internal Server Error", "Content-Type: text/html", "Content-Length: " + html.length());
            out.write(html.getBytes(StandardCharsets.US_ASCII));
        });

        // Bodies of the wrong length.
        start("short body", PROMPT, false, mirrorWith((s, path, out) -> {
            head(out, "200 OK", "Content-Length: " + BODY.length);
            out.write(BODY, 0, 20_000);
        }));
        AtomicLong endless = new AtomicLong();
        sent.put("endless body", endless);
        start("endless body", PROMPT, false, mirrorWith((s, path, out) -> {
            head(out, "200 OK"); // no Content-Length: the body ends when the connection does, i.e. never
            byte[] chunk = new byte[1 << 16];
            for (long i = 0; i < (1L << 30) / chunk.length; i++) { // 1 GiB at most, or until the client leaves
                out.write(chunk);
                endless.addAndGet(chunk.length);
            }
        }));
        start("bigger, declared", PROMPT, true, mirrorWith((s, path, out) -> {
            head(out, "200 OK", "Content-Length: " + (BODY.length + 4096));
            out.write(BODY);
            out.write(new byte[4096]);
        }));
        start("bigger, undeclared", PROMPT, false, mirrorWith((s, path, out) -> {
            head(out, "200 OK");
            out.write(BODY);
            out.write(new byte[4096]);
        }));
        start("bigger than declared", PROMPT, false, mirrorWith((s, path, out) -> {
            head(out, "200 OK", "Content-Length: " + BODY.length); // then more than it said: ignored
            out.write(BODY);
            out.write(new byte[4096]);
        }));

        // Redirects.
        start("redirect loop", PROMPT, false, mirrorWith((s, path, out) ->
                head(out, "302 Found", "Location: " + (path.equals("/a/" + NAME) ? "/b/" : "/a/") + NAME, "Content-Length: 0")));
        Hostile good = new Hostile(true, mirrorWith((s, path, out) -> {
            head(out, "200 OK", "Content-Length: " + BODY.length);
            out.write(BODY);
        }));
        Hostile wrong = new Hostile(true, mirrorWith((s, path, out) -> {
            byte[] bad = BODY.clone();
            bad[1000] ^= 1;
            head(out, "200 OK", "Content-Length: " + bad.length);
            out.write(bad);
        }));
        start("redirect to another port", PROMPT, false, mirrorWith((s, path, out) ->
                head(out, "302 Found", "Location: " + good.url() + NAME, "Content-Length: 0")));
        start("redirect to another port, wrong bytes", PROMPT, true, mirrorWith((s, path, out) ->
                head(out, "302 Found", "Location: " + wrong.url() + NAME, "Content-Length: 0")));
        start("redirect to ftp", PROMPT, false, mirrorWith((s, path, out) ->
                head(out, "301 Moved Permanently", "Location: ftp://127.0.0.1/pub/" + NAME + "\u001b[2J", "Content-Length: 0")));
        start("redirect to file", PROMPT, false, mirrorWith((s, path, out) ->
                head(out, "302 Found", "Location: file:///etc/passwd", "Content-Length: 0")));

        // Servers that hang up, or do not speak HTTP.
        startRaw("closes at once", PROMPT, (s, path, out) -> { });
        start("not http", PROMPT, false, (s, path, out) -> out.write("SSH-2.0-OpenSSH_9.2p1\r\n".getBytes(StandardCharsets.US_ASCII)));
        start("endless head", PROMPT, false, mirrorWith((s, path, out) -> {
            out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] line = ("X-Junk: " + "j".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < (1 << 30) / line.length; i++) {
                out.write(line);
            }
        }));

        // MANIFESTs that are garbage, or too large.
        String sha = sha256(BODY);
        manifest("manifest with escapes", sha + "  \u001b]0;pwned\u0007\u001b[2J  " + NAME + "\n");
        byte[] binary = new byte[4096];
        new Random(7).nextBytes(binary);
        manifest("binary manifest", binary);
        manifest("manifest of one long line", "x".repeat(900_000));
        manifest("manifest size not a number", sha + "  64k  " + NAME + "\n");
        manifest("manifest with a huge field", "z".repeat(300_000) + "  1  " + NAME + "\n");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            many.append(sha).append("  1  file").append(i).append(".bin\n");
        }
        manifest("manifest without the file, many names", many.toString());
        start("manifest over 1 MiB, declared", PROMPT, false, (s, path, out) -> {
            head(out, "200 OK", "Content-Length: " + (3 << 20));
            for (int i = 0; i < 3 << 10; i++) {
                out.write(("# " + "m".repeat(1021) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        });
        start("manifest endless", PROMPT, false, (s, path, out) -> {
            head(out, "200 OK"); // no length: it never ends
            byte[] line = (MANIFEST + "# " + "m".repeat(1000) + "\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < (1 << 30) / line.length; i++) {
                out.write(line);
            }
        });
    }

    private static void manifest(String name, String text) throws IOException {
        manifest(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void manifest(String name, byte[] body) throws IOException {
        start(name, PROMPT, false, (s, path, out) -> {
            if (path.equals("/MANIFEST")) {
                head(out, "200 OK", "Content-Length: " + body.length);
                out.write(body);
            } else {
                head(out, "200 OK", "Content-Length: " + BODY.length);
                out.write(BODY);
            }
        });
    }

    private static void start(String name, Duration bound, boolean oldFile, Script script) throws IOException {
        launch(name, bound, oldFile, new Hostile(true, script));
    }

    /** A server that does not even read the request. */
    private static void startRaw(String name, Duration bound, Script script) throws IOException {
        launch(name, bound, false, new Hostile(false, script));
    }

    private static void launch(String name, Duration bound, boolean oldFile, Hostile server) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("case" + runs.size()));
        if (oldFile) {
            Files.writeString(dir.resolve(NAME), OLD);
        }
        String mirror = server.url();
        runs.put(name, CompletableFuture.supplyAsync(() -> fetch(name, dir, bound, mirror),
                bound == STALLED ? stalled : prompt));
    }

    /** {@code ssilab fetch --mirror URL big.bin} in {@code dir}, timed; a run past its bound is killed and marked hung. */
    private static Run fetch(String name, Path dir, Duration bound, String mirror) {
        long t0 = System.nanoTime();
        try {
            // Waits 15 s past the bound, so that a run just over it shows how long it really took.
            SsilabProcess.Result r = FaultKit.ssilab(dir).timeout(bound.plusSeconds(15)).run("", "fetch", "--mirror", mirror, NAME);
            return new Run(name, r.exit(), r.out(), r.err(), (System.nanoTime() - t0) / 1_000_000, dir, bound, false);
        } catch (AssertionError hung) {
            return new Run(name, -1, "", hung.getMessage(), (System.nanoTime() - t0) / 1_000_000, dir, bound, true);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        // What each case printed, for the record (and for whoever reads a failure).
        for (Map.Entry<String, CompletableFuture<Run>> e : new java.util.TreeMap<>(runs).entrySet()) {
            if (e.getValue().isDone()) {
                Run r = e.getValue().get();
                System.out.println("[" + r.name() + "] exit " + r.exit() + ", " + r.millis() + " ms, .part "
                        + (Files.exists(r.part()) ? Files.size(r.part()) + " bytes" : "none") + ": " + r.err().strip());
            }
        }
        for (Hostile s : servers) {
            s.close();
        }
        prompt.shutdownNow();
        stalled.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------------
    // The checks.

    private static Run await(String name) throws Exception {
        return runs.get(name).get(STALLED.toSeconds() + 30, TimeUnit.SECONDS);
    }

    /** The fetch failed as it should: one clear line saying {@code says}, the target as before, the .part as {@code part} says. */
    private static String failsCleanly(String name, Part part, String... says) throws Exception {
        Run r = await(name);
        assertFalse(r.hung(), "the fetch ends: " + r.all());
        assertNotEquals(0, r.exit(), "a non-zero exit status: " + r.all());
        assertTrue(r.millis() <= r.bound().toMillis(), "ended within " + r.bound().toSeconds() + " s: " + r.all());
        String line = oneClearLine(r);
        for (String s : says) {
            assertTrue(line.contains(s), "the line says '" + s + "': " + r.all());
        }
        assertEquals("", r.out(), "nothing on stdout: " + r.all());
        if (Files.exists(r.target())) {
            assertEquals(OLD, Files.readString(r.target()), "only the learner's older file, untouched, under the name: " + r.all());
        }
        if (part == Part.KEPT) {
            assertTrue(Files.isRegularFile(r.part()), "the partial download is kept for a resume: " + r.all());
            assertTrue(Files.size(r.part()) > 0 && Files.size(r.part()) <= BODY.length,
                    "the .part holds some bytes, never more than the MANIFEST size: " + Files.size(r.part()));
            byte[] have = Files.readAllBytes(r.part());
            assertArrayEquals(java.util.Arrays.copyOf(BODY, have.length), have, "the .part holds the start of the file");
            assertTrue(line.contains("run the same command again to resume"), "the line says a rerun resumes: " + r.all());
        } else {
            assertFalse(Files.exists(r.part()), "no .part left (nothing there is worth resuming): " + r.all());
            assertFalse(line.contains("resume"), "no resume promised: " + r.all());
        }
        return line;
    }

    /** Exactly one line on stderr, ssilab's own, short enough to read, with nothing a terminal would act on. */
    private static String oneClearLine(Run r) {
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "exactly one line on stderr: " + r.all());
        String line = lines.get(0);
        assertTrue(line.startsWith("ssilab: cannot fetch " + NAME + " from http://127.0.0.1:"), "ssilab's own sentence: " + r.all());
        FaultKit.noJavaText(r.name(), r.out() + r.err());
        assertFalse(line.contains("For input string"), "no Java parser's words: " + r.all());
        assertTrue(line.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == 0x202e),
                "no control character reaches the terminal: " + r.all());
        assertTrue(line.length() <= 500, "a line one can read (" + line.length() + " characters): " + r.all());
        return line;
    }

    private static void succeeds(String name) throws Exception {
        Run r = await(name);
        assertFalse(r.hung(), "the fetch ends: " + r.all());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.millis() <= r.bound().toMillis(), "ended within " + r.bound().toSeconds() + " s: " + r.all());
        assertArrayEquals(BODY, Files.readAllBytes(r.target()), "the right bytes under the name");
        assertFalse(Files.exists(r.part()), "no .part left after a success");
        assertEquals("", r.err(), r.all());
        assertTrue(r.out().startsWith("Saved "), r.all());
    }

    // ---------------------------------------------------------------------------------------------------
    // One method per class of fault.

    @Test
    @Timeout(90)
    void httpErrorsAreOneLineAndKeepNothing() throws Exception {
        failsCleanly("404", Part.GONE, "HTTP 404");
        failsCleanly("500", Part.GONE, "HTTP 500", "try again later");
        String forbidden = failsCleanly("403 html", Part.GONE, "HTTP 403");
        assertFalse(forbidden.contains("<"), "not the server's HTML page: " + forbidden);
        failsCleanly("500 manifest", Part.GONE, "MANIFEST: HTTP 500");
    }

    @Test
    @Timeout(90)
    void aBodyShorterThanItsLengthKeepsThePartForAResume() throws Exception {
        String line = failsCleanly("short body", Part.KEPT, "closed after 20000 of " + BODY.length + " bytes");
        Run r = await("short body");
        assertEquals(20_000, Files.size(r.part()), line);

        // The kept part is worth keeping: the same command against a server that honours Range resumes it.
        Hostile resuming = new Hostile(true, mirrorWith((s, path, out) -> {
            int from = Integer.parseInt(rangeStart.get().replaceAll("\\D", ""));
            head(out, "206 Partial Content", "Content-Range: bytes " + from + "-" + (BODY.length - 1) + "/" + BODY.length,
                    "Content-Length: " + (BODY.length - from));
            out.write(BODY, from, BODY.length - from);
        }));
        SsilabProcess.Result again = FaultKit.ssilab(r.dir()).timeout(PROMPT).run("", "fetch", "--mirror", resuming.url(), NAME);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("resumed at byte 20000"), again.out());
        assertEquals("bytes=20000-", rangeStart.get(), "asked for the rest only");
        assertArrayEquals(BODY, Files.readAllBytes(r.target()));
        assertFalse(Files.exists(r.part()));
    }

    @Test
    @Timeout(90)
    void anEndlessBodyStopsAtTheManifestSize() throws Exception {
        failsCleanly("endless body", Part.GONE, "sent more than the " + BODY.length + " bytes the MANIFEST says");
        long served = sent.get("endless body").get();
        assertTrue(served < 1L << 30, "the fetch stopped reading long before the server's 1 GiB: " + served);
    }

    @Test
    @Timeout(90)
    void aBodyBiggerThanTheManifestSizeIsRefused() throws Exception {
        failsCleanly("bigger, declared", Part.GONE, "sends " + (BODY.length + 4096) + " bytes but MANIFEST says " + BODY.length);
        failsCleanly("bigger, undeclared", Part.GONE, "sent more than the " + BODY.length + " bytes the MANIFEST says");
        // Content-Length says the right size, then more comes: with "Connection: close" the JDK's client reads
        // to the end of the connection, so the extra bytes count, and the download is refused as too long.
        failsCleanly("bigger than declared", Part.GONE, "sent more than the " + BODY.length + " bytes the MANIFEST says");
    }

    @Test
    @Timeout(90)
    void aSlowDripIsGivenUpWithTheStartKept() throws Exception {
        failsCleanly("drip body", Part.KEPT, "too slow");
    }

    @Test
    @Timeout(90)
    void aHeadDrippedAByteASecondIsGivenUp() throws Exception {
        failsCleanly("drip head", Part.GONE, "timed out waiting for 127.0.0.1:", "the head of its answer did not arrive");
    }

    @Test
    @Timeout(90)
    void redirectsAreFollowedOnlyWhereItIsSafe() throws Exception {
        failsCleanly("redirect loop", Part.GONE, "too many redirects", "a redirect loop");
        // Another port on the same loopback: followed; the bytes are still checked against the MANIFEST.
        succeeds("redirect to another port");
        failsCleanly("redirect to another port, wrong bytes", Part.GONE, "checksum mismatch");
        String ftp = failsCleanly("redirect to ftp", Part.GONE, "redirect", "ftp://127.0.0.1/pub/" + NAME + "\\x1b[2J");
        assertFalse(ftp.contains("HTTP 301 Moved Permanently)"), "says where it was sent, not just the code: " + ftp);
        failsCleanly("redirect to file", Part.GONE, "redirect", "file:///etc/passwd");
    }

    @Test
    @Timeout(90)
    void aServerThatNeverAnswersTimesOut() throws Exception {
        failsCleanly("never answers", Part.GONE, "timed out waiting for 127.0.0.1:");
    }

    @Test
    @Timeout(90)
    void aServerThatHangsUpAtOnceIsOneLine() throws Exception {
        failsCleanly("closes at once", Part.GONE, "closed the connection");
    }

    @Test
    @Timeout(90)
    void aServerThatDoesNotSpeakHttpIsOneLine() throws Exception {
        failsCleanly("not http", Part.GONE, "HTTP");
        failsCleanly("endless head", Part.GONE, "use another mirror"); // the JDK refuses a head over 384 KiB
    }

    @Test
    @Timeout(90)
    void aGarbageManifestIsOneLineWithoutEscapes() throws Exception {
        String esc = failsCleanly("manifest with escapes", Part.GONE, "bad MANIFEST", "\\x1b");
        assertFalse(esc.contains("pwned\u0007"), esc);
        failsCleanly("binary manifest", Part.GONE, "bad MANIFEST");
        failsCleanly("manifest of one long line", Part.GONE, "bad MANIFEST");
        failsCleanly("manifest size not a number", Part.GONE, "bad MANIFEST", "size '64k' is not a number");
        failsCleanly("manifest with a huge field", Part.GONE, "bad MANIFEST", "not a SHA-256", "zzz...");
        failsCleanly("manifest without the file, many names", Part.GONE, "it has no " + NAME, "and 4990 more");
    }

    @Test
    @Timeout(90)
    void aManifestOverOneMibIsRefused() throws Exception {
        failsCleanly("manifest over 1 MiB, declared", Part.GONE, "MANIFEST is larger than 1 MiB");
        failsCleanly("manifest endless", Part.GONE, "MANIFEST is larger than 1 MiB");
    }

    // ---------------------------------------------------------------------------------------------------
    // The hostile server.

    /** What a server does with one connection: {@code path} is the request's (null if it was not read). */
    interface Script {
        void serve(Socket s, String path, OutputStream out) throws IOException, InterruptedException;
    }

    /** A script that serves the good MANIFEST, and {@code file} for anything else. */
    private static Script mirrorWith(Script file) {
        return (s, path, out) -> {
            if ("/MANIFEST".equals(path)) {
                byte[] m = MANIFEST.getBytes(StandardCharsets.UTF_8);
                head(out, "200 OK", "Content-Length: " + m.length);
                out.write(m);
            } else {
                file.serve(s, path, out);
            }
        };
    }

    /** A status line and headers, raw (ISO-8859-1, as HTTP/1.1 has it), with Connection: close. */
    private static void head(OutputStream out, String status, String... headers) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** A loopback server on raw sockets: each connection, on a thread of its own, gets the script. */
    static final class Hostile implements AutoCloseable {
        private final ServerSocket ss;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();

        Hostile(boolean readRequest, Script script) throws IOException {
            ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            servers.add(this);
            Thread acceptor = new Thread(() -> {
                while (true) {
                    Socket s;
                    try {
                        s = ss.accept();
                    } catch (IOException closed) {
                        return;
                    }
                    open.add(s);
                    Thread t = new Thread(() -> {
                        try (s) {
                            String path = null;
                            if (readRequest) {
                                s.setSoTimeout(10_000);
                                path = requestPath(s.getInputStream());
                                s.setSoTimeout(0);
                            }
                            script.serve(s, path, s.getOutputStream());
                            s.getOutputStream().flush();
                        } catch (IOException | InterruptedException gone) {
                            // the client went away, or the server stopped: both expected here
                        } finally {
                            open.remove(s);
                        }
                    }, "hostile-conn");
                    t.setDaemon(true);
                    t.start();
                }
            }, "hostile-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + ss.getLocalPort() + "/";
        }

        /** Reads the request's head; returns its path (and notes its Range header in {@link #rangeStart}). */
        private static String requestPath(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            for (int c; (c = in.read()) >= 0; ) {
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
                if (head.length() > 16_384) {
                    break;
                }
            }
            for (String h : head.toString().split("\r\n")) {
                if (h.regionMatches(true, 0, "Range:", 0, 6)) {
                    rangeStart.set(h.substring(6).strip());
                }
            }
            String[] first = head.toString().split("\r\n", 2)[0].split(" ");
            return first.length > 1 ? first[1] : "";
        }

        @Override
        public void close() {
            try {
                ss.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
