package dev.ssilab.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.ExecResult;
import dev.ssilab.cluster.sim.model.SimCluster;
import dev.ssilab.cluster.sim.model.SimProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTest {

    private static int pid(String output) {
        return Integer.parseInt(output.strip());
    }

    @Test
    void pidsAreUniqueClusterwideAndComeFromTheCreatingNodesRange(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 3)) {
            Set<Integer> pids = new HashSet<>();
            for (int node = 1; node <= 3; node++) {
                for (int i = 0; i < 5; i++) {
                    int pid = pid(h.ok(node, "sleep 100 & echo $!"));
                    assertEquals(node, pid / SimCluster.PID_RANGE, "pid " + pid + " made on node " + node);
                    assertTrue(pids.add(pid), "pid " + pid + " given twice");
                }
            }
            String ps = h.ok(2, "ps -ef");
            for (int pid : pids) {
                assertTrue(ps.contains(" " + pid + " "), "ps on node 2 lists " + pid + ":\n" + ps);
            }
            assertTrue(ps.lines().findFirst().orElseThrow().matches("UID +PID +PPID NODE STIME TTY +TIME CMD"), ps);
        }
    }

    @Test
    void migrationKeepsPidAndParentAndIsSeenFromEveryNode(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 3)) {
            // a parent (bash -c) on node 1 with a child it waits for; the child migrates to node 3 meanwhile
            CompletableFuture<ExecResult> parent = h.execAsync(1, "sleep 100 & echo child $!; wait $!; echo status $?");
            SimHarness.await("the child", () -> h.backend.model().processes().stream().anyMatch(p -> p.command.equals("sleep 100")));
            SimProcess child = h.backend.model().processes().stream().filter(p -> p.command.equals("sleep 100")).findFirst().orElseThrow();
            int ppid = child.ppid;
            assertEquals("", h.ok(2, "echo 3 >/proc/" + child.pid + "/goto"));
            assertEquals("3\n", h.ok(2, "where_pid " + child.pid));
            assertEquals("", h.ok(3, "migrate " + child.pid + " 2"));
            assertEquals("node3 3\n", h.ok(1, "echo 3 >/proc/self/goto; echo $(hostname) $(where_pid $$)"), "a shell moves itself");
            assertEquals("2\n", h.ok(1, "where_pid " + child.pid));
            assertEquals(ppid, child.ppid);
            String line = h.ok(3, "ps -ef | grep 'sleep 100$'");
            assertTrue(line.matches("(?s)root +" + child.pid + " +" + ppid + " +2 .*sleep 100\n"), line);
            h.ok(3, "kill " + child.pid);
            ExecResult r = parent.join();
            assertEquals("child " + child.pid + "\nstatus 143\n", r.output(), "the parent on node 1 reaped its child from node 2");
        }
    }

    @Test
    void pinnedProcessesAndDownNodesRefuseMigration(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 3)) {
            int pinned = pid(h.ok(1, "onnode -p 2 sleep 100 & echo $!"));
            assertEquals("2\n", h.ok(1, "where_pid " + pinned));
            ExecResult r = h.exec(1, "migrate " + pinned + " 3");
            assertEquals(1, r.exitCode());
            assertEquals("migrate: process " + pinned + " is pinned to node 2 (started with onnode -p); it cannot move\n", r.output());
            ExecResult viaProc = h.exec(1, "echo 3 >/proc/" + pinned + "/goto");
            assertEquals(1, viaProc.exitCode());
            assertTrue(viaProc.output().contains("is pinned"), viaProc.output());

            int free = pid(h.ok(1, "sleep 100 & echo $!"));
            h.backend.crash(3);
            ExecResult down = h.exec(1, "migrate " + free + " 3");
            assertEquals(1, down.exitCode());
            assertEquals("migrate: node 3 is DOWN; a process can only move to a node that is UP\n", down.output());
            ExecResult never = h.exec(1, "echo 9 >/proc/" + free + "/goto");
            assertNotEquals(0, never.exitCode());
            assertTrue(never.output().contains("node 9 is NEVERUP"), never.output());
            assertEquals("1\n", h.ok(2, "where_pid " + free));
        }
    }

    @Test
    void processesDieWithTheirNodeAndTheParentSeesSigkill(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 3)) {
            CompletableFuture<ExecResult> parent = h.execAsync(1, "onnode 3 sleep 100 & wait $!; echo status $?");
            int elsewhere = pid(h.ok(2, "sleep 100 & echo $!"));
            SimHarness.await("the child on node 3", () -> h.backend.model().processes().stream()
                    .anyMatch(p -> p.command.equals("sleep 100") && p.node == 3));
            CompletableFuture<ExecResult> onVictim = h.execAsync(3, "sleep 100; echo not reached");
            SimHarness.await("the session on node 3", () -> h.backend.model().processes().stream()
                    .filter(p -> p.node == 3).count() >= 3);
            h.backend.crash(3);
            assertEquals("status 137\n", parent.join().output());
            ExecResult victim = onVictim.join();
            assertEquals(137, victim.exitCode(), "a session on the crashed node ends killed");
            assertFalse(victim.output().contains("not reached"));
            assertEquals("2\n", h.ok(1, "where_pid " + elsewhere), "processes elsewhere keep running");
            assertTrue(h.backend.model().processes().stream().noneMatch(p -> p.node == 3));
        }
    }

    @Test
    void killWorksFromAnyNodeOnAnyPidAndOnProcessGroups(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 3)) {
            int pid = pid(h.ok(1, "sleep 100 & echo $!"));
            assertEquals("", h.ok(3, "kill -9 " + pid));
            SimHarness.await("the kill", () -> h.backend.model().process(pid) == null);
            ExecResult again = h.exec(2, "kill " + pid);
            assertEquals(1, again.exitCode());
            assertEquals("bash: kill: (" + pid + ") - No such process\n", again.output());

            // one shell's jobs share its process group, wherever they run
            String pids = h.ok(1, "onnode 2 sleep 100 & a=$!; onnode 3 sleep 100 & echo $a $! $$");
            String[] p = pids.strip().split(" ");
            assertEquals(0, h.exec(2, "kill -TERM -- -" + p[2]).exitCode());
            SimHarness.await("the group kill", () -> h.backend.model().process(Integer.parseInt(p[0])) == null
                    && h.backend.model().process(Integer.parseInt(p[1])) == null);
            ExecResult stop = h.exec(1, "kill -STOP 1");
            assertEquals(127, stop.exitCode());
            assertEquals("ssilab sim: kill -STOP is not modelled by the simulator\n", stop.output());
        }
    }

    @Test
    void onnodeAndOnallRunWhereAsked(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 4)) {
            assertEquals("node3\n", h.ok(1, "onnode 3 hostname"));
            assertEquals("node1\nnode2\nnode3\nnode4\n", h.ok(2, "onall hostname"));
            h.backend.crash(2);
            assertEquals("node1\nnode3\nnode4\n", h.ok(1, "onall hostname"));
            ExecResult r = h.exec(1, "onnode 2 hostname");
            assertEquals(1, r.exitCode());
            assertTrue(r.output().startsWith("onnode: node 2 is DOWN"), r.output());
            assertEquals("x\n", h.ok(4, "onnode 1 echo x >/tmp/f; cat /tmp/f"), "onnode keeps the caller's redirections");
        }
    }

    @Test
    void sleepIsRealTimeAndBackgroundJobsEnd(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            long started = System.nanoTime();
            int pid = pid(h.ok(1, "sleep 1 & echo $!"));
            assertTrue(h.backend.model().process(pid) != null || System.nanoTime() - started > 1_000_000_000L);
            SimHarness.await("sleep 1 to end", () -> h.backend.model().process(pid) == null);
            assertTrue(System.nanoTime() - started >= 990_000_000L, "not before its second");
            long t0 = System.nanoTime();
            h.ok(1, "sleep 0.2");
            assertTrue(System.nanoTime() - t0 >= 190_000_000L);
            assertEquals("0\n", h.ok(1, "sleep 0.1 & wait; echo $?"));
            assertEquals(0, h.backend.model().processes().stream().filter(p -> p.command.startsWith("sleep")).count());
        }
    }

    @Test
    void timeoutKillsTheCommandAndReturns124(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 2)) {
            long t0 = System.nanoTime();
            ExecResult r = h.exec(1, "echo start; sleep 100; echo end", Duration.ofMillis(300));
            assertEquals(124, r.exitCode());
            assertEquals("start\n", r.output());
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            SimHarness.await("no sleep left", () -> h.backend.model().processes().stream().noneMatch(p -> p.command.equals("sleep 100")));
            ExecResult fifo = h.exec(2, "mkfifo /tmp/p; cat /tmp/p", Duration.ofMillis(200));
            assertEquals(124, fifo.exitCode(), "a reader blocked on a FIFO is killed too");
        }
    }

    @Test
    void unmodelledCommandsSayNotModelledAndExit127(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            for (String cmd : List.of("vi", "gcc", "top", "mount", "uname")) {
                ExecResult r = h.exec(1, cmd + " -x");
                assertEquals(127, r.exitCode(), cmd);
                assertEquals("ssilab sim: " + cmd + " is not modelled by the simulator\n", r.output());
            }
            assertEquals("ssilab sim: ps -p is not modelled by the simulator\n", h.exec(1, "ps -p 1").output());
            ExecResult loop = h.exec(1, "echo before; case x in x) echo x;; esac");
            assertEquals(new ExecResult(127, "ssilab sim: case is not modelled by the simulator\n"), loop,
                    "a line with a construct the simulator does not model runs nothing");
            assertEquals(new ExecResult(127, "ssilab sim: cat /devfs/node1/console is not modelled by the simulator\n"),
                    h.exec(1, "cat /devfs/node1/console"));
            assertEquals(new ExecResult(127, "ssilab sim: cat /proc/1/goto is not modelled by the simulator\n"),
                    h.exec(1, "cat /proc/1/goto"));
            assertTrue(h.ok(1, "help").contains(" dbdemo "), "help lists the modelled commands");
            ExecResult missing = h.exec(1, "./nothing");
            assertEquals(new ExecResult(127, "bash: ./nothing: No such file or directory\n"), missing);
            int pid = Integer.parseInt(h.ok(1, "cd /usr/bin && ./dbdemo alphabet >/dev/null & /bin/sleep 100 & echo $!").strip());
            assertTrue(h.ok(1, "ps").contains(pid + "    1 ?              00:00:00 /bin/sleep 100"), h.ok(1, "ps"));
            assertEquals("127\n", h.exec(1, "nosuch; echo $?").output().lines().skip(1).findFirst().orElseThrow() + "\n");
        }
    }

    @Test
    void aFullProcessTableRefusesNewProcessesLikeAFailedFork(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            synchronized (h.backend.model()) {
                h.backend.model().maxProcesses = 50;
            }
            ExecResult r = h.exec(1, "sleep 600 & ".repeat(60) + "echo not reached");
            assertEquals(new ExecResult(254, "bash: fork: retry: Resource temporarily unavailable\n"), r);
            assertEquals(50, h.backend.model().processes().size() + 1, "full but for the shell that just ended");
            assertEquals(254, h.exec(1, "sleep 600 &").exitCode(), "still full: the session's shell took the last slot");
            StringBuilder pids = new StringBuilder();
            h.backend.model().processes().stream().filter(p -> p.command.startsWith("sleep")).limit(10).forEach(p -> pids.append(' ').append(p.pid));
            assertEquals("", h.ok(1, "kill -9" + pids), "kill is a builtin: it needs no new process");
            assertEquals("", h.ok(1, "sleep 600 &"), "killing frees the table");
            synchronized (h.backend.model()) {
                h.backend.model().maxProcesses = 2; // init and keepalive
            }
            assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.ssilab.state.UserError.class,
                    () -> h.exec(1, "true")).getMessage().contains("kill some"));
        }
    }
}
