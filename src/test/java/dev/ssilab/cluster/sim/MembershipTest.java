package dev.ssilab.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.CrashReport;
import dev.ssilab.cluster.NodeState;
import dev.ssilab.cluster.NodeStatus;
import dev.ssilab.state.UserError;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipTest {

    @Test
    void bootedNodesAreUpWithServicesOnTheLowestAndTwoTransitionsEach(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 4)) {
            List<NodeStatus> nodes = h.backend.nodes();
            assertEquals(List.of(1, 2, 3, 4), nodes.stream().map(NodeStatus::node).toList());
            assertTrue(nodes.stream().allMatch(n -> n.state() == NodeState.UP));
            assertEquals(List.of("CLMS master", "root", "init", "keepalive"), nodes.get(0).services());
            assertEquals("1: UP\n2: UP\n3: UP\n4: UP\n", h.ok(2, "cluster"));
            String v = h.ok(3, "cluster -v");
            assertTrue(v.startsWith("CLMS master: node 1\ntransition id: 8\n"), v); // NEVERUP->COMINGUP->UP per node
            assertTrue(v.contains("1: UP         CLMS master, root, init, keepalive\n"), v);
            assertEquals("UP\n", h.ok(1, "clusternode_getstate 4"));
            assertEquals("NEVERUP\n", h.ok(1, "clusternode_getstate 9"));
            assertEquals("3\n", h.ok(3, "clusternode_num"));
            assertTrue(Files.exists(dir.resolve("node1/console.log")));
        }
    }

    @Test
    void crashGoesThroughCleanupToDownAndServicesMoveToTheLowestSurvivor(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 4)) {
            CrashReport r = h.backend.crash(1);
            assertEquals(1, r.node());
            assertEquals(Map.of("CLMS master", 2, "root", 2, "init", 2, "keepalive", 2), r.servicesMovedTo());
            String v = h.ok(3, "cluster -v");
            assertTrue(v.startsWith("CLMS master: node 2\ntransition id: 11\n"), v); // KCLEANUP, UCLEANUP, DOWN
            assertTrue(v.contains("1: DOWN\n"), v);
            assertTrue(v.contains("2: UP         CLMS master, root, init, keepalive\n"), v);
            assertEquals("DOWN\n", h.ok(4, "clusternode_getstate 1"));
            assertEquals("2\n", h.ok(4, "where_pid 1"), "init keeps pid 1 on its new node");

            h.backend.boot(List.of(1)); // a returning node does not take the services back
            assertTrue(h.ok(1, "cluster -v").startsWith("CLMS master: node 2\ntransition id: 13\n"));
            CrashReport again = h.backend.crash(2);
            assertEquals(Map.of("CLMS master", 1, "root", 1, "init", 1, "keepalive", 1), again.servicesMovedTo());
            assertEquals(Map.of(), h.backend.crash(4).servicesMovedTo());
        }
    }

    @Test
    void badMembershipRequestsAreRefusedAndChangeNothing(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 2)) {
            String before = h.ok(1, "cluster -v");
            assertTrue(assertThrows(UserError.class, () -> h.backend.boot(List.of(2))).getMessage().contains("already UP"));
            assertThrows(UserError.class, () -> h.backend.boot(List.of(3, 16)));
            assertThrows(UserError.class, () -> h.backend.boot(List.of(0)));
            assertThrows(UserError.class, () -> h.backend.boot(List.of(4, 4)));
            assertTrue(assertThrows(UserError.class, () -> h.backend.crash(5)).getMessage().contains("NEVERUP"));
            h.backend.crash(2);
            UserError last = assertThrows(UserError.class, () -> h.backend.crash(1));
            assertTrue(last.getMessage().contains("ssi-stop 10001"), last.getMessage());
            assertThrows(UserError.class, () -> h.backend.crash(2));
            assertThrows(UserError.class, () -> h.backend.console(99, InputStream.nullInputStream(), OutputStream.nullOutputStream()));
            assertFalse(Files.exists(dir.resolve("node99")), "a refused console leaves no trace");
            UserError down = assertThrows(UserError.class, () -> h.exec(2, "true"));
            assertTrue(down.getMessage().contains("ssi-add 10001 2"), down.getMessage());
            assertEquals(NodeState.NEVERUP, h.backend.model().membership.state(3), "node 3 was refused with 16");
            assertTrue(h.ok(1, "cluster -v").contains("transition id: 7\n"), "only the crash of node 2 counted: " + before);
        }
    }

    @Test
    void stoppedClusterRefusesEverything(@TempDir Path dir) {
        SimHarness h = new SimHarness(dir, 2);
        h.exec(1, "sleep 100 &");
        h.close();
        assertThrows(UserError.class, () -> h.exec(1, "true"));
        assertThrows(UserError.class, () -> h.backend.boot(List.of(3)));
        assertTrue(h.backend.model().processes().isEmpty());
        assertTrue(h.backend.model().scheduler.isTerminated(), "the timers are stopped");
        assertTrue(h.backend.model().jobs.isTerminated(), "the job threads are stopped");
    }
}
