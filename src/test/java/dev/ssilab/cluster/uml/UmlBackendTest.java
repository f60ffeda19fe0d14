package dev.ssilab.cluster.uml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.CrashReport;
import dev.ssilab.cluster.ExecResult;
import dev.ssilab.cluster.NodeState;
import dev.ssilab.cluster.NodeStatus;
import dev.ssilab.cluster.StartRequest;
import dev.ssilab.state.UserError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boots real UML kernels: fails (with the doctor's reason) where UML cannot run, never skips. */
class UmlBackendTest {

    static ExecResult run(UmlBackend b, int node, String cmd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = b.exec(node, cmd, Duration.ofSeconds(20), out);
        return new ExecResult(rc, out.toString(StandardCharsets.UTF_8));
    }

    static UmlBackend newCluster(Path dir, int id) {
        UmlTestSupport.requireWorkingUml(dir);
        Path root = UmlTestSupport.rootImage(dir);
        return (UmlBackend) new UmlBackendProvider().create(id, new StartRequest("uml", 2, root, 16, null, null),
                dir.resolve("clusters/" + id));
    }

    @Test
    void twoRealNodesRunCommandsTalkOverTheSwitchCrashAndStop(@TempDir Path dir) throws Exception {
        UmlBackend b = newCluster(dir, 10001);
        List<Long> pids;
        try {
            b.boot(List.of(1, 2));
            assertEquals(List.of(NodeState.UP, NodeState.UP), b.nodes().stream().map(NodeStatus::state).toList());
            pids = UmlTestSupport.kernelPids(dir.resolve("clusters/10001"));
            assertEquals(2, pids.size(), "two linux kernel processes: " + pids);

            ExecResult uname = run(b, 2, "uname -r");
            assertEquals(0, uname.exitCode(), uname.output());
            assertTrue(uname.output().strip().matches("7\\.\\d+.*"), uname.output());

            ExecResult status = run(b, 1, "echo out; echo err >&2; exit 3");
            assertEquals(3, status.exitCode());
            assertEquals("out\nerr\n", status.output());

            ExecResult ping = run(b, 1, "ping -c 1 -W 5 169.254.50.2");
            assertEquals(0, ping.exitCode(), ping.output());
            assertTrue(ping.output().contains("1 packets received"), ping.output());

            // shared /cluster: written on node 1, read on node 2
            assertEquals(0, run(b, 1, "echo hello from 1 > /cluster/greeting").exitCode());
            assertEquals("hello from 1\n", run(b, 2, "cat /cluster/greeting").output());

            // pid ranges: node 2 hands out pids from 200000 up
            long pid2 = Long.parseLong(run(b, 2, "echo $$").output().strip());
            assertTrue(pid2 > 200000 && pid2 < 300000, "pid on node 2: " + pid2);

            ExecResult slow = new ExecResult(b.exec(1, "sleep 30", Duration.ofSeconds(1), new ByteArrayOutputStream()), "");
            assertTrue(slow.timedOut(), "timeout ends a command: " + slow.exitCode());
            assertEquals("still\n", run(b, 1, "echo still").output(), "the node works after a timeout");

            assertThrows(UserError.class, () -> b.boot(List.of(2)), "node 2 is already up");

            // the console: each line typed runs on the node, until exit
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            b.console(2, new java.io.ByteArrayInputStream("hostname\ncd /tmp\nexit\necho never\n".getBytes(StandardCharsets.UTF_8)), screen);
            assertEquals("node2:/# node2\nnode2:/# node2:/tmp# ", screen.toString(StandardCharsets.UTF_8));

            // a command that waits does not block the node: the writer runs beside the blocked reader
            assertEquals(0, run(b, 1, "mkfifo /tmp/f").exitCode());
            var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> run(b, 1, "cat /tmp/f"));
            assertEquals(0, run(b, 1, "echo through >/tmp/f").exitCode());
            assertEquals("through\n", reader.get(20, java.util.concurrent.TimeUnit.SECONDS).output());

            // a command that times out is ended whole: its shell and what the shell started
            assertEquals(ExecResult.TIMED_OUT, b.exec(2, "sleep 301 & sleep 302", Duration.ofSeconds(2), new ByteArrayOutputStream()));
            long gone = System.nanoTime() + 10_000_000_000L;
            while (run(b, 2, "busybox ps | grep -q '[s]leep 30[12]'").exitCode() == 0 && System.nanoTime() < gone) {
                Thread.sleep(200);
            }
            assertEquals(1, run(b, 2, "busybox ps | grep -q '[s]leep 30[12]'").exitCode(), "the timed-out command's processes are gone");
            // and one whose caller went away (the learner's Ctrl-C interrupts the manager's thread)
            Thread caller = new Thread(() -> b.exec(2, "sleep 303 & sleep 304", Duration.ofMinutes(5), new ByteArrayOutputStream()));
            caller.start();
            while (run(b, 2, "busybox ps | grep -q '[s]leep 30[34]'").exitCode() != 0) {
                Thread.sleep(100);
            }
            caller.interrupt();
            caller.join(10_000);
            gone = System.nanoTime() + 10_000_000_000L;
            while (run(b, 2, "busybox ps | grep -q '[s]leep 30[34]'").exitCode() == 0 && System.nanoTime() < gone) {
                Thread.sleep(200);
            }
            assertEquals(1, run(b, 2, "busybox ps | grep -q '[s]leep 30[34]'").exitCode(), "the cancelled command's processes are gone");

            // a command running when its node crashes ends with the SIGKILL status, at once
            var doomed = java.util.concurrent.CompletableFuture.supplyAsync(() -> b.exec(1, "sleep 600", Duration.ofMinutes(10), new ByteArrayOutputStream()));
            for (int i = 0; i < 200 && run(b, 1, "busybox ps | grep -q '[s]leep 600'").exitCode() != 0; i++) {
                // until the command runs on node 1
            }
            CrashReport report = b.crash(1);
            assertEquals(137, doomed.get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(2, report.servicesMovedTo().get("CLMS master"));
            ProcessHandle.of(pids.get(0)).ifPresent(h -> h.onExit().join());
            assertEquals(1, UmlTestSupport.kernelPids(dir.resolve("clusters/10001")).size(), "node 1's kernel is gone");
            assertEquals(NodeState.DOWN, b.nodes().get(0).state());
            assertTrue(b.nodes().get(1).services().contains("CLMS master"));
            assertThrows(UserError.class, () -> b.exec(1, "true", Duration.ofSeconds(5), new ByteArrayOutputStream()));
            assertThrows(UserError.class, () -> b.crash(2), "the last node up cannot be crashed");
            assertEquals(0, run(b, 2, "true").exitCode());
            assertFalse(Files.exists(dir.resolve("clusters/10001/uml/ssi-10001-1")), "crashed node's umid dir cleaned");
            assertTrue(Files.size(dir.resolve("clusters/10001/node2/console.log")) > 0);
        } finally {
            b.close();
        }
        assertEquals(List.of(), UmlTestSupport.allKernelProcesses(dir.resolve("clusters/10001")), "close leaves no linux process");
        assertFalse(Files.exists(dir.resolve("clusters/10001/cow_2")));
        assertTrue(Files.readString(dir.resolve("clusters/10001/node2/console.log")).contains("node 2: stopping"),
                "close stops nodes gracefully (ssi-halt, which says so on the node's console)");
    }

    @Test
    void staleKernelsAndNodeFilesOfAnEarlierManagerAreCleanedAtCreate(@TempDir Path dir) throws Exception {
        UmlBackend first = newCluster(dir, 10003);
        UmlBackend second = null;
        try {
            first.boot(List.of(1));
            List<Long> pids = UmlTestSupport.kernelPids(dir.resolve("clusters/10003"));
            assertEquals(1, pids.size());
            Path cluster = dir.resolve("clusters/10003");
            assertTrue(Files.exists(cluster.resolve("cow_1")));
            // a new manager of the same cluster (the first one "died" without stopping its nodes)
            second = newCluster(dir, 10003);
            ProcessHandle.of(pids.get(0)).ifPresent(h -> h.onExit().join());
            assertEquals(List.of(), UmlTestSupport.allKernelProcesses(dir.resolve("clusters/10003")));
            assertFalse(Files.exists(cluster.resolve("cow_1")), "stale COW file removed");
            assertFalse(Files.exists(cluster.resolve("node1")), "stale node folder removed");
            assertFalse(Files.exists(cluster.resolve("uml/ssi-10003-1")), "stale umid folder removed");
            second.boot(List.of(1));
            assertEquals("node1\n", run(second, 1, "hostname").output());
        } finally {
            first.killNow();
            if (second != null) {
                second.close();
            }
        }
        assertEquals(List.of(), UmlTestSupport.allKernelProcesses(dir.resolve("clusters/10003")));
    }
}
