package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HOWTO's "Playing Around" exercises and keepalive, done as a learner does them: ssi-start, then
 * ssilab exec and ssilab console as separate processes against the simulated cluster's manager.
 */
class PlayingAroundProcessTest {
    @TempDir
    Path tmp;

    SsilabProcess ssilab;

    @BeforeEach
    void startCluster() throws Exception {
        Files.createFile(tmp.resolve("root_fs"));
        ssilab = new SsilabProcess(tmp);
        var r = ssilab.run("", "cluster", "start", "--backend", "sim", "4");
        assertEquals("Cluster 10001 has been started with 4 nodes\n", r.out(), r.err());
    }

    @AfterEach
    void stopCluster() throws Exception {
        ssilab.run("", "cluster", "stop", "10001");
    }

    private String exec(int node, String line) throws Exception {
        var r = ssilab.run("", "exec", "10001", Integer.toString(node), "--", line);
        assertEquals(0, r.exit(), "node " + node + ": " + line + " -> " + r);
        return r.out();
    }

    @Test
    void processMigrationKeepsThePidAndDbdemoContinuesWithoutAGap() throws Exception {
        int pid = Integer.parseInt(exec(1, "sleep 600 & echo $!").strip());
        assertEquals("1\n", exec(2, "where_pid " + pid));
        exec(3, "echo 3 >/proc/" + pid + "/goto");
        assertEquals("3\n", exec(4, "where_pid " + pid));
        exec(2, "migrate " + pid + " 4");
        assertEquals("4\n", exec(1, "where_pid " + pid));

        try (Console c = new Console(1)) {
            c.waitFor("]# ");
            c.type("dbdemo alphabet");
            c.waitFor("B: Bravo (node 1)");
            c.type("3");
            c.waitFor("(node 3)");
            c.type("q");
            c.waitFor("]# ");
            Matcher m = Pattern.compile("([A-Z]): \\S+ \\(node (\\d)\\)").matcher(c.screen());
            char expected = 'A';
            int records = 0;
            while (m.find()) {
                assertEquals(String.valueOf(expected), m.group(1), "no gap, no repeat: " + c.screen());
                expected++;
                records++;
            }
            assertTrue(records >= 3, c.screen());
        }
    }

    @Test
    void distributedProcessRelationships() throws Exception {
        int pid = Integer.parseInt(exec(1, "onnode 2 sleep 600 & echo $!").strip());
        assertEquals("2\n", exec(3, "where_pid " + pid));
        assertTrue(exec(4, "ps").contains(" " + pid + " "), "ps on any node shows every process");
        exec(3, "kill " + pid);
        assertTrue(!exec(1, "ps").contains(" " + pid + " "), "killed from node 3");
    }

    @Test
    void clusterwideFifo() throws Exception {
        exec(1, "mkfifo /fifo");
        ProcessBuilder pb = new ProcessBuilder(SsilabProcess.command("exec", "10001", "2", "--", "cat /fifo"))
                .directory(tmp.toFile());
        pb.environment().putAll(ssilab.environment());
        Process reader = pb.start();
        try {
            exec(1, "echo something >/fifo");
            assertTrue(reader.waitFor(30, TimeUnit.SECONDS), "the reader on node 2 got the writer's line and ended");
            assertEquals("something\n", new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(0, reader.exitValue());
        } finally {
            reader.destroyForcibly();
        }
    }

    @Test
    void clusterwideDevices() throws Exception {
        try (Console c = new Console(1)) {
            c.waitFor("]# ");
            exec(3, "echo \"Hello World\" >/devfs/node1/console");
            c.waitFor("Hello World");
        }
    }

    @Test
    void keepaliveRestartsADaemonWhoseNodeCrashed() throws Exception {
        exec(1, "onnode 3 spawndaemon -d /bin/sleep 1000");
        var rm = ssilab.run("", "cluster", "rm", "10001", "3");
        assertEquals(0, rm.exit(), rm.err());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String log = "";
        while (System.nanoTime() < deadline && !log.contains("restarted")) {
            log = exec(2, "cat /var/log/keepalive");
        }
        assertTrue(log.contains("restarted"), log);
        assertTrue(exec(4, "keepalive").contains("/bin/sleep 1000"), "the daemon is registered and running again");
    }

    /** `ssilab console 10001 N` as a learner's terminal would drive it: keys in, screen out. */
    private final class Console implements AutoCloseable {
        final Process p;
        final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        final OutputStream keys;

        Console(int node) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(SsilabProcess.command("console", "10001", Integer.toString(node)))
                    .directory(tmp.toFile()).redirectErrorStream(true);
            pb.environment().putAll(ssilab.environment());
            p = pb.start();
            keys = p.getOutputStream();
            Thread t = new Thread(() -> {
                try (InputStream in = p.getInputStream()) {
                    in.transferTo(new OutputStream() {
                        @Override
                        public void write(int b) {
                            synchronized (screen) {
                                screen.write(b);
                            }
                        }

                        @Override
                        public void write(byte[] b, int off, int len) {
                            synchronized (screen) {
                                screen.write(b, off, len);
                            }
                        }
                    });
                } catch (IOException e) {
                    // the console ended
                }
            });
            t.setDaemon(true);
            t.start();
        }

        String screen() {
            synchronized (screen) {
                return screen.toString(StandardCharsets.UTF_8);
            }
        }

        void type(String line) throws IOException {
            keys.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        void waitFor(String text) throws InterruptedException {
            int from = seen;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                int at = screen().indexOf(text, from);
                if (at >= 0) {
                    seen = at + text.length();
                    return;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("console never showed '" + text + "'; screen:\n" + screen());
        }

        int seen;

        @Override
        public void close() throws Exception {
            try {
                type("exit");
                keys.close();
            } catch (IOException ignored) {
                // already ended
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
