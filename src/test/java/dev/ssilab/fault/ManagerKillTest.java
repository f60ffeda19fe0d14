package dev.ssilab.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cli.SsilabProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12, fault class 4: the cluster manager killed with SIGKILL while a client waits on it. The client
 * must notice within seconds, the entry must read as stale and clear, and a new cluster must start.
 */
class ManagerKillTest {
    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() {
        FaultKit.killManagersOf(tmp);
    }

    @Test
    void execEndsInOneLineWhenTheManagerIsKilled() throws Exception {
        SsilabProcess ssilab = FaultKit.startedSimCluster(tmp, 2);
        List<Long> managers = FaultKit.managersOf(tmp);
        assertEquals(1, managers.size(), "one clusterd of this test: " + managers);

        ProcessBuilder pb = new ProcessBuilder(SsilabProcess.command("exec", "10001", "1", "--", "sleep", "30")).directory(tmp.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SSILAB_"));
        pb.environment().putAll(ssilab.environment());
        Path out = tmp.resolve("exec-out.txt"), err = tmp.resolve("exec-err.txt");
        Process exec = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            // Let the command reach the node before the manager dies (a JVM start, then the request).
            Thread.sleep(3000);
            assertTrue(exec.isAlive(), "exec is still waiting for sleep 30: " + Files.readString(err));
            FaultKit.signal("KILL", managers.get(0));
            long killed = System.nanoTime();
            assertTrue(exec.waitFor(10, TimeUnit.SECONDS), "exec ends within seconds of its manager's death");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            String e = Files.readString(err);
            assertNotEquals(0, exec.exitValue(), "a non-zero exit: " + e);
            assertEquals(1, e.lines().count(), "one line on stderr (after " + took + " ms): " + e);
            assertTrue(e.startsWith("ssilab: "), e);
            FaultKit.noJavaText("exec", e + Files.readString(out));
        } finally {
            exec.destroyForcibly();
        }

        SsilabProcess.Result ls = ssilab.run("", "cluster", "ls");
        assertEquals(0, ls.exit(), ls.err());
        assertTrue(ls.out().contains("stale") || ls.out().strip().equals("No clusters have been found."),
                "ssi-ls reports the cluster as stale or gone: " + ls.out());
        SsilabProcess.Result stop = ssilab.run("", "cluster", "stop", "10001");
        assertEquals(0, stop.exit(), "ssi-stop clears it: " + stop.err());
        assertEquals("No clusters have been found.", ssilab.run("", "cluster", "ls").out().strip());

        SsilabProcess.Result again = ssilab.run("", "cluster", "start", "2");
        assertEquals(0, again.exit(), "a new cluster starts: " + again.err());
        SsilabProcess.Result exec2 = ssilab.run("", "exec", "10001", "1", "--", "true");
        assertEquals(0, exec2.exit(), exec2.err());
        assertEquals(0, ssilab.run("", "cluster", "stop").exit());
    }
}
