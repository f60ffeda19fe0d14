package dev.ssilab.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadLevelTest {

    private static long busyOn(SimHarness h, int node) {
        return h.backend.model().processes().stream().filter(p -> p.cpu > 0 && p.node == node).count();
    }

    @Test
    void whenOnAnOverloadedNodeMovesEligibleBusyProcessesToTheLeastLoaded(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 3)) {
            h.ok(1, "bash-ll -c 'yes >/dev/null & yes >/dev/null & yes >/dev/null &'");
            Thread.sleep(4 * SimHarness.BALANCE.toMillis());
            assertEquals(3, busyOn(h, 1), "load leveling is off by default");
            assertEquals("1: 3.00\n2: 0.00\n3: 0.00\n", h.ok(2, "loads"));
            h.ok(2, "loadlevel -a on");
            SimHarness.await("the leveler", () -> busyOn(h, 1) == 1 && busyOn(h, 2) == 1 && busyOn(h, 3) == 1);
            assertEquals("1: 1.00\n2: 1.00\n3: 1.00\n", h.ok(3, "loads"));
            assertEquals("1: on\n2: on\n3: on\n", h.ok(3, "loadlevel"));
        }
    }

    @Test
    void onlyEligibleUnpinnedProcessesOnNodesWithLevelingOnMove(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 2)) {
            h.ok(1, "loadlevel -a on; loadlevel -n 2 off");
            h.ok(1, "yes >/dev/null & yes >/dev/null &"); // not from bash-ll, not listed
            h.ok(1, "bash-ll -c 'onnode -p 1 yes >/dev/null &'");
            h.ok(1, "bash-ll -c 'yes >/dev/null &'");
            Thread.sleep(5 * SimHarness.BALANCE.toMillis());
            assertEquals(4, busyOn(h, 1), "node 2 does not take part");
            h.ok(2, "loadlevel -n 2 on");
            SimHarness.await("the bash-ll process to move", () -> busyOn(h, 2) == 1);
            Thread.sleep(5 * SimHarness.BALANCE.toMillis());
            assertEquals(1, busyOn(h, 2), "the pinned and the ineligible stay");
            h.ok(1, "echo yes >>/cluster/etc/loadlevellist");
            SimHarness.await("a listed process to move", () -> busyOn(h, 2) == 2);
            assertTrue(h.ok(1, "ps").contains("yes"));
        }
    }
}
