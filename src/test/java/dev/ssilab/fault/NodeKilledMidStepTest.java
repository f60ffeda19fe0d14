package dev.ssilab.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cli.SsilabProcess;
import dev.ssilab.cluster.uml.UmlTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12: a node dies while the tutor runs a step's command on it (crashed with ssi-rm on sim; its
 * UML kernel killed with SIGKILL on uml). The learner must be told in one line which node went down and
 * how to bring it back, the tutor must stay usable, and once the node is back the same step passes and
 * is saved as done: no hang, no lost progress, no cluster left broken.
 */
class NodeKilledMidStepTest {
    private static final String LESSON = """
            ---
            id: crash
            title: A node dies under a step
            backends: [sim, uml]
            ---
            ## Step: Run a long command on node 2

            ```sh run on=node:2
            sleep 6
            echo finished >/root/mark
            ```

            ```sh check on=node:2
            cat /root/mark
            ```

            > **Hint:** type run.
            """;

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() throws Exception {
        new SsilabProcess(tmp).run("", "cluster", "stop", "10001");
        FaultKit.killManagersOf(tmp);
        UmlTestSupport.allKernelProcesses(clusterDir()).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private Path clusterDir() {
        return tmp.resolve("state/ssilab/clusters/10001");
    }

    @Test
    void simNodeCrashedMidStep() throws Exception {
        SsilabProcess ssilab = FaultKit.startedSimCluster(tmp, 3);
        walk(ssilab, "sim", () -> {
            SsilabProcess.Result rm = ssilab.run("", "cluster", "rm", "10001", "2");
            assertEquals(0, rm.exit(), rm.err());
        });
    }

    @Test
    void umlKernelKilledMidStep() throws Exception {
        SsilabProcess ssilab = UmlTestSupport.startedCluster(tmp, 3);
        walk(ssilab, "uml", () -> {
            ProcessHandle node2 = UmlTestSupport.kernelPids(clusterDir()).stream().map(pid -> ProcessHandle.of(pid).orElseThrow())
                    .filter(h -> h.info().arguments().map(a -> List.of(a).contains("umid=ssi-10001-2")).orElse(false))
                    .findFirst().orElseThrow();
            node2.destroyForcibly(); // kill -9 from outside, as the OOM killer or a careless kill would
        });
    }

    private interface Fault {
        void strike() throws Exception;
    }

    private void walk(SsilabProcess ssilab, String backend, Fault fault) throws Exception {
        Path course = Files.createDirectories(tmp.resolve("course"));
        Files.writeString(course.resolve("01-crash.md"), LESSON);
        ProcessBuilder pb = new ProcessBuilder(SsilabProcess.command("--course", course.toString(), "--backend", backend)).directory(tmp.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SSILAB_") || k.equals("TMUX") || k.equals("DISPLAY"));
        pb.environment().putAll(ssilab.environment());
        pb.redirectErrorStream(true);
        Process tutor = pb.start();
        StringBuffer screen = new StringBuffer();
        Thread reader = new Thread(() -> copy(tutor.getInputStream(), screen));
        reader.start();
        OutputStream keys = tutor.getOutputStream();
        try {
            type(keys, "run");
            awaitText(screen, "node2$ sleep 6", 30);
            Thread.sleep(1500); // the sleep is running on node 2 now
            fault.strike();
            long struck = System.nanoTime();
            awaitText(screen, "went down while the command ran", 20);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - struck);
            awaitText(screen, "ssilab crash 1/1> ", screen.indexOf("went down while the command ran"), 20); // back at its prompt
            String told = screen.toString();
            assertTrue(told.contains("node 2 of cluster 10001 went down while the command ran")
                    && told.contains("'ssi-add 10001 2' brings it back"), "one line says which node and what to do: " + told);
            assertTrue(tookMs < 15_000, "the learner is told within seconds, not at the step's timeout (" + tookMs + " ms)");
            FaultKit.noJavaText("tutor", told);
            assertTrue(tutor.isAlive(), "the tutor goes on: " + told);

            SsilabProcess.Result add = ssilab.run("", "cluster", "add", "10001", "2");
            assertEquals(0, add.exit(), "the node comes back: " + add.err());
            int before = screen.length();
            type(keys, "run");
            awaitText(screen, "✔ Step done: Run a long command on node 2", before, 60);
            assertTrue(screen.substring(before).contains("node2$ sleep 6"), screen.substring(before));
            type(keys, "quit");
            assertTrue(tutor.waitFor(30, TimeUnit.SECONDS), "quit ends the tutor: " + screen);
            assertEquals(0, tutor.exitValue(), screen.toString());
        } finally {
            tutor.descendants().forEach(ProcessHandle::destroyForcibly);
            tutor.destroyForcibly();
        }
        reader.join(5000);

        String progress = Files.readString(tmp.resolve("state/ssilab/progress.properties"));
        assertTrue(progress.contains("done=crash\\#1") || progress.contains("done=crash#1"), "the step is saved as done: " + progress);
        SsilabProcess.Result ls = ssilab.run("", "cluster", "ls");
        assertTrue(ls.out().lines().anyMatch(l -> l.startsWith("10001 ") && l.substring(6).trim().startsWith("1 2 3")),
                "the cluster has its three nodes again: " + ls.out());
    }

    private static void type(OutputStream keys, String line) throws IOException {
        keys.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private static void awaitText(StringBuffer screen, String text, int seconds) throws InterruptedException {
        awaitText(screen, text, 0, seconds);
    }

    /** Waits for {@code text} to appear on screen at or after {@code from}. */
    private static void awaitText(StringBuffer screen, String text, int from, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (screen.indexOf(text, from) >= 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not on screen within " + seconds + " s: '" + text + "'\n" + screen);
    }

    private static void copy(InputStream in, StringBuffer into) {
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException ended) {
            // the tutor ended
        }
    }
}
