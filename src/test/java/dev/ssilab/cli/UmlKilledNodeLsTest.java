package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.uml.UmlTestSupport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A UML node whose kernel is killed from outside is down for ssi-ls as it is for exec and ssi-rm. */
class UmlKilledNodeLsTest {
    @TempDir
    Path tmp;

    @Test
    void ssiLsNoLongerListsANodeWhoseKernelWasKilled() throws Exception {
        SsilabProcess ssilab = UmlTestSupport.startedCluster(tmp, 2);
        Path clusterDir = tmp.resolve("state/ssilab/clusters/10001");
        try {
            assertTrue(upNodes(ssilab).equals("1 2"), ssilab.run("", "cluster", "ls").out());
            ProcessHandle node2 = UmlTestSupport.kernelPids(clusterDir).stream()
                    .map(pid -> ProcessHandle.of(pid).orElseThrow())
                    .filter(h -> h.info().arguments().map(a -> List.of(a).contains("umid=ssi-10001-2")).orElse(false))
                    .findFirst().orElseThrow();
            node2.destroyForcibly(); // kill -9 from outside: no ssi-rm
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!upNodes(ssilab).equals("1") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals("1", upNodes(ssilab), ssilab.run("", "cluster", "ls").out());
            var exec = ssilab.run("", "exec", "10001", "2", "true");
            assertTrue(exec.err().contains("node 2 is not up"), exec.err());
        } finally {
            ssilab.run("", "cluster", "stop", "10001");
            UmlTestSupport.allKernelProcesses(clusterDir).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** The nodes column of cluster 10001 in ssi-ls. */
    private static String upNodes(SsilabProcess ssilab) throws Exception {
        return ssilab.run("", "cluster", "ls").out().lines().filter(l -> l.startsWith("10001 ")).findFirst()
                .map(l -> l.substring(6).trim().split("\\s{2,}")[0]).orElse("");
    }
}
