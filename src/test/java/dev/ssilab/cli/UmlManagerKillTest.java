package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.uml.UmlTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real cluster's manager killed with SIGKILL takes its UML kernels with it; ssi-ls and ssi-stop clean up. */
class UmlManagerKillTest {
    @TempDir
    Path tmp;

    @Test
    void sigkillOfTheClusterManagerLeavesNoUmlProcess() throws Exception {
        SsilabProcess ssilab = UmlTestSupport.startedCluster(tmp, 2);
        Path clusterDir = tmp.resolve("state/ssilab/clusters/10001");
        try {
            assertEquals(2, UmlTestSupport.kernelPids(clusterDir).size(), "two real kernels run");
            Properties state = new Properties();
            try (var in = Files.newBufferedReader(clusterDir.resolve("state.properties"))) {
                state.load(in);
            }
            ProcessHandle manager = ProcessHandle.of(Long.parseLong(state.getProperty("pid"))).orElseThrow();
            assertTrue(manager.info().commandLine().orElse("").contains("clusterd"), manager.info().toString());
            manager.destroyForcibly(); // SIGKILL: no shutdown hook runs in the manager
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!UmlTestSupport.allKernelProcesses(clusterDir).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(List.of(), UmlTestSupport.allKernelProcesses(clusterDir), "no UML process outlives its manager");
            assertTrue(ssilab.run("", "cluster", "ls").out().contains("stale"), "ssi-ls reports the dead cluster");
            assertEquals(0, ssilab.run("", "cluster", "stop", "10001").exit());
            assertTrue(!Files.exists(clusterDir), "ssi-stop cleared the stale cluster");
        } finally {
            UmlTestSupport.allKernelProcesses(clusterDir).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            ssilab.run("", "cluster", "stop", "10001");
        }
    }
}
