package dev.ssilab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest {
    @TempDir
    Path temp;

    private Registry registry() {
        return new Registry(SsilabPaths.fromEnvironment(Map.of("XDG_STATE_HOME", temp.resolve("state").toString(),
                "HOME", temp.toString())));
    }

    private static ClusterState starting(int id) {
        return new ClusterState(id, ClusterState.Phase.STARTING, "echo", 4, Instant.parse("2026-01-02T03:04:05Z"),
                List.of(), ProcessHandle.current().pid(), null, null, Path.of("/w/root_fs"), 64, null, null);
    }

    @Test
    void idsStartAt10001AndConcurrentAllocationsNeverShareOne() throws Exception {
        Registry registry = registry();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> ids = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                Callable<Integer> allocate = () -> registry.allocate(RegistryTest::starting).id();
                ids.add(pool.submit(allocate));
            }
            Set<Integer> got = new TreeSet<>();
            for (Future<Integer> f : ids) {
                got.add(f.get());
            }
            assertEquals(24, got.size(), got.toString());
            assertEquals(10001, ((TreeSet<Integer>) got).first());
            assertEquals(10024, ((TreeSet<Integer>) got).last());
        } finally {
            pool.shutdownNow();
        }
        registry.remove(10005, null);
        assertEquals(10005, registry.allocate(RegistryTest::starting).id(), "the lowest free id is reused");
    }

    @Test
    void stateFilesRoundTripAndUpdatesAreVisibleToOtherReaders() {
        Registry registry = registry();
        int id = registry.allocate(RegistryTest::starting).id();
        ClusterState written = registry.update(id, s -> s.running(Path.of("/tmp/s"), List.of(1, 3)));
        ClusterState read = registry().read(id).orElseThrow();
        assertEquals(written, read);
        assertEquals(List.of(1, 3), read.nodesUp());
        assertNull(read.kernel());
        assertEquals(4, read.request().nodes());
    }

    @Test
    void aCorruptStateFileIsReportedAndTheClusterShowsAsStale() throws IOException {
        Registry registry = registry();
        int id = registry.allocate(RegistryTest::starting).id();
        Files.writeString(registry.dir(id).resolve("state.properties"), "id=abc\n");
        assertThrows(java.io.UncheckedIOException.class, () -> registry.read(id));
        ClusterInfo info = new Clusters(SsilabPaths.fromEnvironment(Map.of("XDG_STATE_HOME", temp.resolve("state").toString(),
                "HOME", temp.toString()))).list().get(0);
        assertTrue(info.stale());
        assertEquals("unknown", info.backend());
    }

    @Test
    void ownerIsAliveOnlyWithTheSamePidAndStartTime() {
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElseThrow();
        assertTrue(Registry.processAlive(self.pid(), started));
        assertFalse(Registry.processAlive(self.pid(), started.minusSeconds(5)), "a recycled pid is another process");
        assertFalse(Registry.processAlive(-1, null));
    }

    @Test
    void argumentsThatAreNotNumbersOrOutOfRangeAreOneClearLine() {
        assertEquals("node number 'x' is not a number (nodes are 1..15)",
                assertThrows(UserError.class, () -> ClusterArgs.node("x")).getMessage());
        assertEquals("number of nodes 16 is out of range (it must be greater than 0 and less than 16)",
                assertThrows(UserError.class, () -> ClusterArgs.nodeCount("16")).getMessage());
        assertEquals("cluster id 42 is out of range (ids start at 10001; ssi-ls lists the clusters)",
                assertThrows(UserError.class, () -> ClusterArgs.clusterId("42")).getMessage());
        assertEquals(15, ClusterArgs.node("15"));
    }
}
