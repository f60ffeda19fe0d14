package dev.ssilab.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.state.FileTrees;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster manager whose cluster folder is deleted under it stops by itself instead of running on, unreachable. */
class OrphanManagerTest {

    @Test
    void aManagerWhoseFolderIsDeletedStopsWithinSeconds(@TempDir Path root) throws Exception {
        FaultKit.startedSimCluster(root, 2);
        List<Long> managers = FaultKit.managersOf(root);
        assertEquals(1, managers.size(), "one manager runs: " + managers);
        try {
            FileTrees.delete(root.resolve("state/ssilab/clusters/10001"));
            ProcessHandle manager = ProcessHandle.of(managers.get(0)).orElseThrow();
            assertTrue(manager.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
                    .handle((h, e) -> e == null).join(), "the manager stopped by itself within 30 s");
        } finally {
            FaultKit.killManagersOf(root);
        }
    }
}
