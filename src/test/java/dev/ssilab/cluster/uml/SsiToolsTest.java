package dev.ssilab.cluster.uml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.ExecResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HOWTO's exercises on three real nodes, through ssilab's SSI tools inside the root image. */
class SsiToolsTest {

    static ExecResult run(UmlBackend b, int node, String cmd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = b.exec(node, cmd, Duration.ofSeconds(30), out);
        return new ExecResult(rc, out.toString(StandardCharsets.UTF_8));
    }

    static String ok(UmlBackend b, int node, String cmd) {
        ExecResult r = run(b, node, cmd);
        assertEquals(0, r.exitCode(), "node " + node + ": " + cmd + " -> " + r.output());
        return r.output();
    }

    /** Reads /var/log/keepalive on a node until it holds the text (the daemon checks once a second). */
    static String awaitLog(UmlBackend b, int node, String text) {
        String log = "";
        for (int i = 0; i < 100 && !log.contains(text); i++) {
            log = run(b, node, "sleep 0.2; cat /var/log/keepalive").output();
        }
        return log;
    }

    /** The HOWTO's clusterwide FIFO: reader first, then writer first; the bytes go over the cluster network. */
    static void clusterwideFifo(UmlBackend b) throws Exception {
        CompletableFuture<ExecResult> reader = CompletableFuture.supplyAsync(() -> run(b, 2, "cat /cluster/fifo"));
        String waiting = "";
        for (int i = 0; i < 200 && !waiting.contains("/cluster/fifo"); i++) {
            waiting = run(b, 1, "cat /cluster/.ssi/fifo/node2 2>/dev/null || sleep 0.05").output();
        }
        assertTrue(waiting.contains("/cluster/fifo"), "node 2's agent publishes its waiting reader: " + waiting);
        long t0 = System.nanoTime();
        ok(b, 1, "echo something >/cluster/fifo");
        ExecResult read = reader.get(5, TimeUnit.SECONDS);
        assertEquals(new ExecResult(0, "something\n"), read, "node 2 reads what node 1 wrote");
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "within seconds");

        // writer first (blocked in its open on node 1), then the reader on node 3: more than a pipe's worth
        CompletableFuture<ExecResult> writer = CompletableFuture.supplyAsync(
                () -> run(b, 1, "seq 1 20000 >/cluster/fifo"));
        String blocked = "";
        for (int i = 0; i < 200 && blocked.isBlank(); i++) {
            blocked = run(b, 1, "grep -l '^257 0xffffff9c 0x[0-9a-f]* 0x241 ' /proc/[0-9]*/syscall").output();
        }
        assertTrue(!blocked.isBlank(), "the writer waits in its open");
        assertEquals(ok(b, 3, "seq 1 20000 | md5sum"), ok(b, 3, "md5sum </cluster/fifo"), "node 3 reads every byte");
        assertEquals(0, writer.get(5, TimeUnit.SECONDS).exitCode());
    }

    @Test
    void howtoExercisesRunOnRealNodes(@TempDir Path dir) throws Exception {
        UmlBackend b = UmlBackendTest.newCluster(dir, 10002);
        try {
            b.boot(List.of(1, 2, 3));
            assertEquals("1: UP\n2: UP\n3: UP\n", ok(b, 2, "cluster"));
            assertEquals("3\n", ok(b, 3, "clusternode_num"));
            assertEquals("UP\n", ok(b, 1, "clusternode_getstate 3"));
            assertEquals("node2\n", ok(b, 1, "onnode 2 hostname"));
            assertEquals("node1\nnode2\nnode3\n", ok(b, 2, "onall hostname"));
            assertEquals(4, run(b, 1, "onnode 3 'exit 4'").exitCode());

            // A FIFO under /cluster joins a writer and a reader of the same node in its kernel...
            ok(b, 1, "mkfifo /cluster/fifo");
            assertEquals("something\n", ok(b, 1, "cat /cluster/fifo & echo something >/cluster/fifo; wait"));
            assertEquals("p\n", ok(b, 2, "stat -c %A /cluster/fifo | cut -c1"), "every node sees the FIFO file");
            // ...and a writer and a reader of different nodes through the agents' relay (ssi-fifo)
            clusterwideFifo(b);

            // onnode 2 ... from node 1, found and killed from node 3
            CompletableFuture<ExecResult> sleeper = CompletableFuture.supplyAsync(() -> run(b, 1, "onnode 2 sleep 1000"));
            String pid = "";
            for (int i = 0; i < 200 && pid.isEmpty(); i++) {
                pid = ok(b, 3, "ps | awk '$5 == \"sleep\" && $6 == \"1000\" { print $1 }'").strip(); // PID NODE TTY TIME CMD
            }
            assertTrue(pid.matches("2\\d{5}"), "the sleeper has a pid of node 2's range: '" + pid + "'");
            assertEquals("2\n", ok(b, 3, "where_pid " + pid));
            ok(b, 3, "kill " + pid);
            ExecResult ended = sleeper.get(30, TimeUnit.SECONDS);
            assertEquals(143, ended.exitCode(), "onnode returns the killed command's status: " + ended.output());
            assertEquals(1, run(b, 3, "where_pid " + pid).exitCode(), "the process is gone");

            // node 1's console device, written on node 3
            ok(b, 3, "echo 'Hello World' >/devfs/node1/console");
            Path log = dir.resolve("clusters/10002/node1/console.log");
            boolean seen = false;
            for (int i = 0; i < 100 && !seen; i++) {
                seen = Files.readString(log).contains("Hello World");
                if (!seen) {
                    ok(b, 1, "true"); // a round trip on node 1 lets its console catch up
                }
            }
            assertTrue(seen, "Hello World on node 1's console");

            // keepalive (run by the manager on node 1, the lowest) restarts a killed daemon on its node
            String started = ok(b, 3, "spawndaemon -d /bin/sleep 1000");
            String daemon = started.replaceAll("(?s).*as pid (\\d+) on node 3.*", "$1");
            assertTrue(daemon.matches("3\\d{5}"), started);
            assertTrue(ok(b, 2, "keepalive").startsWith("keepalive: daemon pid 1"), "daemon on node 1");
            ok(b, 2, "kill -9 " + daemon);
            String kalog = awaitLog(b, 2, "pid " + daemon + " on node 3 exited; restarted as pid 3");
            assertTrue(kalog.contains("restarted as pid 3"), kalog);

            // a crash moves the centralized services; the tools inside see it
            b.crash(1);
            String v = ok(b, 2, "cluster -v");
            assertTrue(v.startsWith("CLMS master: node 2\n"), v);
            assertTrue(v.contains("1: DOWN"), v);
            assertTrue(v.contains("keepalive"), v);
            assertEquals(1, run(b, 2, "onnode 1 true").exitCode());
            assertTrue(ok(b, 3, "keepalive").startsWith("keepalive: daemon pid 2"), "keepalive failed over to node 2");
            // the watched daemon's node crashes: it restarts on the lowest node up
            b.crash(3);
            kalog = awaitLog(b, 2, "node 3 is down; restarted as pid 2");
            assertTrue(kalog.contains("node 3 is down; restarted as pid 2"), kalog);

            // ssi-add after a crash: the node boots again on its own COW file and rejoins
            b.boot(List.of(1, 3));
            assertEquals("1: UP\n2: UP\n3: UP\n", ok(b, 3, "cluster"));
            assertEquals("node1\n", ok(b, 3, "onnode 1 hostname"));
            assertTrue(ok(b, 2, "cluster -v").startsWith("CLMS master: node 2\n"), "services stay where they failed over to");
        } finally {
            b.close();
        }
    }
    /** pgrep and pkill find processes by name on every node up, as the lessons use them from any node. */
    @Test
    void pgrepAndPkillSeeEveryNode(@TempDir Path dir) {
        UmlBackend b = UmlBackendTest.newCluster(dir, 10003);
        try {
            b.boot(List.of(1, 2, 3));
            ok(b, 1, "dbdemo alphabet >/dev/null 2>&1 &");
            ok(b, 1, "onnode 3 dbdemo alphabet >/dev/null 2>&1 &");
            String pids = "";
            for (int i = 0; i < 100 && pids.lines().count() < 2; i++) {
                pids = run(b, 2, "pgrep dbdemo").output();
            }
            List<String> found = pids.lines().toList();
            assertEquals(2, found.size(), "one dbdemo on node 1, one on node 3, found from node 2: " + pids);
            assertTrue(found.get(0).matches("1\\d{5}") && found.get(1).matches("3\\d{5}"), pids);
            assertEquals(pids, ok(b, 3, "pgrep 'db.*mo'"), "the pattern is a regular expression");
            assertEquals(new ExecResult(1, ""), run(b, 2, "pgrep nonesuch"), "none: status 1, nothing printed");
            assertEquals(1, run(b, 2, "pgrep pgrep").exitCode(), "the search leaves itself out");

            ok(b, 2, "kill $(pgrep dbdemo)");
            String left = "x";
            for (int i = 0; i < 100 && !left.isEmpty(); i++) {
                left = run(b, 1, "pgrep dbdemo").output();
            }
            assertEquals("", left, "kill $(pgrep ...) from node 2 ends both");

            ok(b, 3, "yes >/dev/null & yes >/dev/null &");
            ok(b, 1, "pkill yes");
            assertEquals(1, run(b, 2, "pkill yes").exitCode(), "nothing left to signal");
        } finally {
            b.close();
        }
    }
    /** OpenSSI's /cluster/nodeN/dev names node N's devices on every node, as /devfs/nodeN does. */
    @Test
    void clusterNodeDevNamesEveryNodesDevices(@TempDir Path dir) throws Exception {
        UmlBackend b = UmlBackendTest.newCluster(dir, 10004);
        try {
            b.boot(List.of(1, 2, 3));
            ok(b, 3, "echo 'Hello from node 3' >/cluster/node1/dev/console");
            ok(b, 2, "echo 'Hello from node 2' >/cluster/node2/dev/console");
            assertTrue(awaitConsole(b, dir.resolve("clusters/10004/node1/console.log"), 1, "Hello from node 3"),
                    "node 3 wrote on node 1's console");
            assertTrue(awaitConsole(b, dir.resolve("clusters/10004/node2/console.log"), 2, "Hello from node 2"),
                    "a node's own entry is its /dev");
            assertEquals("null\n", ok(b, 1, "ls /cluster/node1/dev | grep -x null"), "node 1's /dev, seen on node 1");
            assertEquals("", ok(b, 1, "find /cluster -xdev -type p"), "no FIFO of the shared folder comes from the device mounts");
        } finally {
            b.close();
        }
    }

    private static boolean awaitConsole(UmlBackend b, Path log, int node, String text) throws java.io.IOException {
        for (int i = 0; i < 100; i++) {
            if (Files.readString(log).contains(text)) {
                return true;
            }
            ok(b, node, "true"); // a round trip on the node lets its console catch up
        }
        return false;
    }
}
