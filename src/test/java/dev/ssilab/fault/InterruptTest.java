package dev.ssilab.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12, fault class 5: Ctrl-C (SIGINT, sent with kill) during {@code ssilab fetch} from a loopback
 * server that drips slowly, and during {@code ssilab extract}. The process ends non-zero, nothing is left
 * under the final name (fetch documents resuming from its .part, so that may stay), and a second run succeeds.
 */
class InterruptTest {
    @TempDir
    Path tmp;

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Starts ssilab with SIGINT at its default action: a test runner's background JVM may have it ignored. */
    private Process start(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT"));
        cmd.addAll(SsilabProcess.command(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SSILAB_"));
        pb.environment().putAll(new SsilabProcess(tmp).environment());
        return pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile()).start();
    }

    private void interruptAndCheck(Process p) throws Exception {
        FaultKit.signal("INT", p.pid());
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "ssilab stops on SIGINT");
        String err = Files.readString(tmp.resolve("err.txt"));
        assertEquals(130, p.exitValue(), "the shell's exit status for SIGINT (128 + 2): " + err);
        assertTrue(err.lines().count() <= 1, "at most one line on stderr: " + err);
        FaultKit.noJavaText("interrupted", err + Files.readString(tmp.resolve("out.txt")));
    }

    @Test
    void sigintDuringAFetchLeavesNoFileUnderItsNameAndTheNextFetchSucceeds() throws Exception {
        byte[] body = new byte[256 << 10];
        new Random(5).nextBytes(body);
        AtomicBoolean slow = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                serve(exchange, body, slow.get(), sent);
            } catch (IOException clientGone) {
                // The interrupted client closed the connection mid-body: expected here.
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        Path work = Files.createDirectories(tmp.resolve("work"));

        Process p = start(work, "fetch", "--mirror", url, "big.bin");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sent.get() < (16 << 10) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.isAlive() && sent.get() >= (16 << 10), "the download is under way: " + Files.readString(tmp.resolve("err.txt")));
            interruptAndCheck(p);
        } finally {
            p.destroyForcibly();
        }
        assertFalse(Files.exists(work.resolve("big.bin")), "no half-written file under the final name");
        try (Stream<Path> s = Files.list(work)) {
            for (Path left : s.toList()) {
                assertTrue(left.getFileName().toString().equals(".big.bin.part"), "only the documented .part may stay: " + left);
            }
        }

        slow.set(false);
        SsilabProcess.Result again = FaultKit.ssilab(work).run("", "fetch", "--mirror", url, "big.bin");
        assertEquals(0, again.exit(), "the second fetch succeeds: " + again.err());
        assertArrayEquals(body, Files.readAllBytes(work.resolve("big.bin")));
    }

    /** The MANIFEST, and big.bin: in 1 KB drips every 50 ms while slow; honours "Range: bytes=N-" (resume). */
    private static void serve(HttpExchange ex, byte[] body, boolean slow, AtomicLong sent) throws IOException {
        int from = FaultKit.answerHead(ex, body, true, true);
        if (from < 0) {
            return;
        }
        OutputStream out = ex.getResponseBody();
        for (int i = from; i < body.length; i += 1024) {
            int n = Math.min(1024, body.length - i);
            out.write(body, i, n);
            out.flush();
            sent.addAndGet(n);
            if (slow) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Test
    void sigintDuringAnExtractLeavesNoFileUnderItsNameAndTheNextExtractSucceeds() throws Exception {
        // 32 MB of low-entropy text, compressed by the system's bzip2 -1: seconds to unpack on a busy machine.
        byte[] data = new byte[32 << 20];
        Random r = new Random(41);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + r.nextInt(12));
        }
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path bz = work.resolve("big.bz2");
        Process bzip2 = new ProcessBuilder("bzip2", "-1", "-c").redirectOutput(bz.toFile()).start();
        try (OutputStream in = bzip2.getOutputStream()) {
            in.write(data);
        }
        assertEquals(0, bzip2.waitFor());

        Process p = start(work, "extract", bz.toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean underWay = false;
            while (p.isAlive() && System.nanoTime() < deadline && !underWay) {
                try (Stream<Path> s = Files.list(work)) {
                    underWay = s.anyMatch(f -> !f.equals(bz) && size(f) > (256 << 10));
                }
                Thread.sleep(5);
            }
            assertTrue(p.isAlive() && underWay, "the extraction is under way: " + Files.readString(tmp.resolve("err.txt")));
            interruptAndCheck(p);
        } finally {
            p.destroyForcibly();
        }
        assertFalse(Files.exists(work.resolve("big")), "no half-written file under the final name");
        try (Stream<Path> s = Files.list(work)) {
            assertEquals(List.of(bz), s.toList(), "nothing but the archive is left");
        }

        SsilabProcess.Result again = FaultKit.ssilab(work).timeout(java.time.Duration.ofSeconds(90)).run("", "extract", bz.toString());
        assertEquals(0, again.exit(), "the second extract succeeds: " + again.err());
        assertArrayEquals(data, Files.readAllBytes(work.resolve("big")));
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
