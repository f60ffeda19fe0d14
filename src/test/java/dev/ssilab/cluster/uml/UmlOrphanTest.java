package dev.ssilab.cluster.uml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UmlOrphanTest {

    @Test
    void sigkilledManagerLeavesNoKernelBehind(@TempDir Path dir) throws Exception {
        UmlTestSupport.requireWorkingUml(dir);
        Path root = UmlTestSupport.rootImage(dir);
        int id = 10077;
        Process host = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), UmlNodeHost.class.getName(),
                dir.resolve("cluster").toString(), Integer.toString(id), root.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("BOOTED")) {
                seen.append(line).append('\n');
            }
            assertEquals("BOOTED", line, "the host JVM did not boot its nodes: " + seen);
            assertEquals(2, UmlTestSupport.kernelPids(dir.resolve("cluster")).size());
            host.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(host.waitFor(10, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!UmlTestSupport.allKernelProcesses(dir.resolve("cluster")).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(List.of(), UmlTestSupport.allKernelProcesses(dir.resolve("cluster")), "no UML process outlives its manager");
        } finally {
            host.destroyForcibly();
            UmlTestSupport.allKernelProcesses(dir.resolve("cluster")).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }
}
