package dev.ssilab.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.ExecResult;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HighAvailabilityTest {
    private static final Pattern STARTED = Pattern.compile("started as pid (\\d+) on node (\\d+)");

    private static int startedPid(String out) {
        Matcher m = STARTED.matcher(out);
        assertTrue(m.find(), out);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void keepaliveRestartsAKilledDaemonOnTheSameNodeAndLogsIt(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 3)) {
            int pid = startedPid(h.ok(2, "spawndaemon -d /bin/sleep 1000"));
            assertEquals("2\n", h.ok(1, "where_pid " + pid));
            h.ok(3, "kill " + pid);
            SimHarness.await("the restart", () -> h.ok(1, "cat /var/log/keepalive").contains("restarted"));
            String log = h.ok(1, "cat /var/log/keepalive");
            Matcher m = Pattern.compile("keepalive: /bin/sleep 1000: pid " + pid
                    + " on node 2 killed by SIGTERM; restarted as pid (\\d+) on node 2\n").matcher(log);
            assertTrue(m.find(), log);
            int newPid = Integer.parseInt(m.group(1));
            assertNotEquals(pid, newPid);
            assertEquals("2\n", h.ok(3, "where_pid " + newPid));
            assertTrue(h.ok(1, "keepalive").contains(newPid + "    2        1 /bin/sleep 1000"), h.ok(1, "keepalive"));
        }
    }

    @Test
    void keepaliveRestartsADaemonWhoseNodeCrashedOnAnUpNode(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 3)) {
            int pid = startedPid(h.ok(1, "onnode 3 spawndaemon -d /usr/bin/dbdemo alphabet"));
            assertEquals("3\n", h.ok(1, "where_pid " + pid));
            h.backend.crash(3);
            SimHarness.await("the restart", () -> h.ok(1, "cat /var/log/keepalive").contains("pid " + pid + " on node 3"));
            String log = h.ok(2, "cat /var/log/keepalive");
            assertTrue(log.contains("pid " + pid + " on node 3 killed by SIGKILL; restarted as pid "), log);
            assertTrue(log.strip().endsWith("on node 1"), "the lowest UP node: " + log);
        }
    }

    @Test
    void keepaliveItselfFailsOverWithItsNode(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 3)) {
            int pid = startedPid(h.ok(1, "spawndaemon -d /bin/sleep 1000"));
            h.backend.crash(1);
            assertTrue(h.ok(2, "keepalive").startsWith("keepalive: pid "), h.ok(2, "keepalive"));
            assertTrue(h.ok(2, "keepalive").lines().findFirst().orElseThrow().endsWith(" on node 2"));
            SimHarness.await("the restart", () -> h.ok(2, "cat /var/log/keepalive").contains("pid " + pid + " on node 1"));
            assertTrue(h.ok(3, "cat /var/log/keepalive").strip().endsWith("on node 2"));
            int daemon = Integer.parseInt(h.ok(2, "keepalive").split(" ")[2]);
            h.ok(3, "kill -9 " + daemon);
            SimHarness.await("init to respawn keepalive", () -> !h.ok(3, "keepalive").startsWith("keepalive: pid " + daemon + " "));
            assertTrue(h.ok(3, "keepalive").lines().findFirst().orElseThrow().endsWith(" on node 2"));
            ExecResult missing = h.exec(2, "spawndaemon -d /usr/sbin/nothing");
            assertEquals(1, missing.exitCode());
            assertTrue(missing.output().startsWith("spawndaemon: /usr/sbin/nothing: no such program"), missing.output());
        }
    }
}
