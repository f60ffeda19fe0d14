package dev.ssilab.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HOWTO's "Playing Around" section, in order, on one four-node cluster, plus concurrent use. */
class PlayingAroundTest {

    @Test
    void theHowtosExercisesRunOneAfterAnother(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 4)) {
            // 1. process migration: dbdemo on node 1's console, moved to node 2 by typing 2
            try (SimHarness.Console c = h.new Console(1)) {
                c.waitFor("]# ");
                c.type("dbdemo alphabet");
                c.waitFor("B: Bravo (node 1)\n");
                c.type("2");
                c.waitFor("(node 2)\n");
                c.type("q");
                c.waitFor("]# ");
            }
            // 2. clusterwide FIFOs: a writer on node 1, a reader on node 2
            h.ok(1, "mkfifo /fifo");
            CompletableFuture<ExecResult> writer = h.execAsync(1, "echo something >/fifo");
            assertEquals("something\n", h.ok(2, "cat /fifo"));
            assertEquals(0, writer.get(5, TimeUnit.SECONDS).exitCode());
            // 3. clusterwide devices: node 3 writes on node 1's console
            h.ok(3, "echo \"Hello World\" >/devfs/node1/console");
            assertTrue(Files.readString(dir.resolve("node1/console.log")).contains("Hello World\n"));
            // 4. a crash: the services move to the lowest survivor, processes elsewhere live on
            int survivor = Integer.parseInt(h.ok(3, "sleep 1000 & echo $!").strip());
            assertEquals(2, h.backend.crash(1).servicesMovedTo().get("CLMS master"));
            String v = h.ok(3, "cluster -v");
            assertTrue(v.contains("1: DOWN\n") && v.startsWith("CLMS master: node 2\n"), v);
            assertEquals("3\n", h.ok(4, "where_pid " + survivor));
        }
    }

    @Test
    void manySessionsCrashesAndBootsAtOnceLeaveAConsistentCluster(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 6)) {
            List<CompletableFuture<ExecResult>> runs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int node = 1 + i % 3;
                runs.add(h.execAsync(node, "sleep 0.05 & echo " + i + " >>/tmp/log; onnode " + (4 + i % 3)
                        + " true; migrate $! " + (1 + (i + 1) % 3) + "; wait; ps | wc -l"));
            }
            for (int round = 0; round < 5; round++) {
                h.backend.crash(4 + round % 3);
                h.backend.boot(List.of(4 + round % 3));
            }
            for (CompletableFuture<ExecResult> r : runs) {
                ExecResult e = r.get(20, TimeUnit.SECONDS);
                assertTrue(e.exitCode() == 0 || e.output().contains("onnode: node"), e.toString());
            }
            assertEquals(40, h.ok(1, "cat /tmp/log").lines().count());
            assertEquals("1: UP\n2: UP\n3: UP\n4: UP\n5: UP\n6: UP\n", h.ok(2, "cluster"));
            assertTrue(h.ok(2, "cluster -v").contains("transition id: " + (12 + 5 * 5) + "\n"));
            SimHarness.await("every session to end", () -> h.backend.model().processes().size() == 2); // init, keepalive
        }
    }
}
