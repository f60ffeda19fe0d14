package dev.ssilab.cluster.sim;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ssilab.cluster.ExecResult;
import dev.ssilab.cluster.sim.model.SimTiming;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/** A simulated cluster for tests: fast dbdemo and load-leveler clocks, exec and console helpers. */
final class SimHarness implements AutoCloseable {
    static final Duration DBDEMO = Duration.ofMillis(40);
    static final Duration BALANCE = Duration.ofMillis(50);

    final SimBackend backend;
    final Path dir;

    SimHarness(Path dir, int nodes) {
        this.dir = dir;
        this.backend = new SimBackend(10001, dir, new SimTiming(DBDEMO, BALANCE));
        backend.boot(IntStream.rangeClosed(1, nodes).boxed().toList());
    }

    ExecResult exec(int node, String line) {
        return exec(node, line, Duration.ofSeconds(20));
    }

    ExecResult exec(int node, String line, Duration timeout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = backend.exec(node, line, timeout, out);
        return new ExecResult(code, out.toString(StandardCharsets.UTF_8));
    }

    /** Output of a command that must succeed. */
    String ok(int node, String line) {
        ExecResult r = exec(node, line);
        if (r.exitCode() != 0) {
            fail("'" + line + "' on node " + node + " exited " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }

    CompletableFuture<ExecResult> execAsync(int node, String line) {
        return CompletableFuture.supplyAsync(() -> exec(node, line));
    }

    static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** An interactive console session driven by a test: type lines, read what it printed. */
    final class Console implements AutoCloseable {
        private final PipedOutputStream keys = new PipedOutputStream();
        private final Output screen = new Output();
        final CompletableFuture<Void> done;

        Console(int node) throws IOException {
            PipedInputStream in = new PipedInputStream(keys, 1 << 16);
            done = CompletableFuture.runAsync(() -> backend.console(node, in, screen));
        }

        void type(String line) throws IOException {
            keys.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        String screen() {
            return screen.text();
        }

        void waitFor(String text) {
            await("'" + text + "' on the console; it shows:\n" + screen(), () -> screen().contains(text));
        }

        @Override
        public void close() throws IOException {
            keys.close();
        }
    }

    static final class Output extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }

    @Override
    public void close() {
        backend.close();
    }
}
