package dev.ssilab.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cli.SsilabProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12, fault class 3: twenty ssi-add and ssi-rm processes at once on one sim cluster. The registry
 * lock and the manager must serialise them: afterwards the node list is one consistent set, the cluster
 * stops, and no manager is left.
 */
class ConcurrentMembershipTest {
    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() {
        FaultKit.killManagersOf(tmp);
    }

    @Test
    void twentyConcurrentAddsAndRemovesLeaveOneConsistentCluster() throws Exception {
        SsilabProcess ssilab = FaultKit.startedSimCluster(tmp, 3);

        List<Process> all = new ArrayList<>();
        List<Path> errs = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                // Adds of nodes 4..8 and crashes of nodes 2..7, overlapping, so some meet a node the other just changed.
                String[] args = i % 2 == 0
                        ? new String[] {"cluster", "add", "10001", Integer.toString(4 + i % 5)}
                        : new String[] {"cluster", "rm", "10001", Integer.toString(2 + i % 6)};
                ProcessBuilder pb = new ProcessBuilder(SsilabProcess.command(args)).directory(tmp.toFile());
                pb.environment().keySet().removeIf(k -> k.startsWith("SSILAB_"));
                pb.environment().putAll(ssilab.environment());
                pb.environment().put("SSILAB_BACKEND", "sim");
                Path err = tmp.resolve("err" + i + ".txt");
                errs.add(err);
                all.add(pb.redirectOutput(tmp.resolve("out" + i + ".txt").toFile()).redirectError(err.toFile()).start());
            }
            for (int i = 0; i < all.size(); i++) {
                Process p = all.get(i);
                assertTrue(p.waitFor(90, TimeUnit.SECONDS), "process " + i + " ended");
                String err = Files.readString(errs.get(i));
                FaultKit.noJavaText("process " + i, err + Files.readString(tmp.resolve("out" + i + ".txt")));
                if (p.exitValue() != 0) {
                    // A node already down, say: refused in one line, not a crash of the command.
                    assertEquals(1, err.lines().filter(l -> !l.startsWith("note: ")).count(), "one line from process " + i + ": " + err);
                }
            }
        } finally {
            all.forEach(Process::destroyForcibly);
        }

        SsilabProcess.Result ls = ssilab.run("", "cluster", "ls");
        assertEquals(0, ls.exit(), ls.err());
        String row = ls.out().lines().filter(l -> l.startsWith("10001 ")).findFirst().orElseThrow(() -> new AssertionError(ls.out()));
        List<Integer> listed = Arrays.stream(row.substring(5).trim().split("\\s+"))
                .takeWhile(s -> s.matches("\\d{1,2}")).map(Integer::valueOf).toList();
        assertEquals(listed.size(), new HashSet<>(listed).size(), "no node listed twice: " + row);
        assertEquals(listed.stream().sorted().toList(), listed, "in order: " + row);
        assertTrue(listed.stream().allMatch(n -> n >= 1 && n <= 15), row);
        // The manager's answer and the state file agree: every node is either up or not.
        String state = Files.readString(tmp.resolve("state/ssilab/clusters/10001/state.properties"));
        String up = state.lines().filter(l -> l.startsWith("nodes.up=")).findFirst().orElseThrow().substring("nodes.up=".length()).trim();
        assertEquals(listed, up.isEmpty() ? List.of() : Arrays.stream(up.split("\\s+")).map(Integer::valueOf).toList(), "ssi-ls and the state file agree");
        for (int n : listed) {
            SsilabProcess.Result exec = ssilab.run("", "exec", "10001", Integer.toString(n), "--", "true");
            assertEquals(0, exec.exit(), "node " + n + " is listed up, so it runs a command: " + exec.err());
        }

        SsilabProcess.Result stop = ssilab.run("", "cluster", "stop", "10001");
        assertEquals(0, stop.exit(), stop.err());
        assertEquals("No clusters have been found.", ssilab.run("", "cluster", "ls").out().strip());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!FaultKit.managersOf(tmp).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), FaultKit.managersOf(tmp), "no orphan clusterd");
    }
}
