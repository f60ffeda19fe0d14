package dev.ssilab.cluster.uml;

import static dev.ssilab.cluster.uml.SsiToolsTest.ok;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call to another node that is in flight when that node crashes ends with "node N went down" once
 * the membership says so, on three real nodes. A crashed UML kernel never closes its connections, so
 * such a call used to wait forever; keepalive's liveness check of a process on the crashed node was
 * one, and it never restarted the process (lesson 12 failed now and then under load).
 */
class CallToCrashedNodeTest {

    @Test
    void aCallInFlightEndsWhenItsNodeCrashes(@TempDir Path dir) throws Exception {
        UmlBackend b = UmlBackendTest.newCluster(dir, 10007);
        try {
            b.boot(List.of(1, 2, 3));
            ok(b, 2, "(onnode 3 'echo started; sleep 120'; echo \"rc=$?\") >/tmp/call.log 2>&1 &");
            String log = awaitLog(b, "started", 30);
            b.crash(3);
            log = awaitLog(b, "rc=", 15);
            assertTrue(log.contains("node 3 went down\nrc=255\n"), log);
            assertTrue(ok(b, 1, "onnode 2 'echo still here'").equals("still here\n"), "node 2 answers calls again");
        } finally {
            b.close();
        }
    }

    /** Node 2's /tmp/call.log once it holds the text, or what it holds after the given seconds. */
    private static String awaitLog(UmlBackend b, String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String log = "";
        while (System.nanoTime() < deadline && !log.contains(text)) {
            Thread.sleep(250);
            log = ok(b, 2, "cat /tmp/call.log");
        }
        return log;
    }
}
