package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.Clusters;
import dev.ssilab.cluster.NodeStatus;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry as several processes see it: stale clusters, long socket paths, many commands at once. */
class ClusterRegistryProcessTest {
    @TempDir
    Path temp;

    CliProcess cli;

    @AfterEach
    void tearDown() {
        if (cli != null) {
            cli.cleanUp();
        }
    }

    private CliProcess.Result ok(String... args) {
        CliProcess.Result r = cli.run(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed: " + r);
        return r;
    }

    private Properties state(int id) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(cli.clustersDir().resolve(id + "/state.properties"))));
        return p;
    }

    @Test
    void aClusterWhoseManagerWasKilledIsShownStaleAndSsiStopClearsIt() throws Exception {
        cli = new CliProcess(temp);
        ok("cluster", "start", "--backend", "echo", "2");
        ok("cluster", "start", "--backend", "echo", "3");
        long pid = Long.parseLong(state(10001).getProperty("pid"));
        ProcessHandle manager = ProcessHandle.of(pid).orElseThrow();
        assertTrue(manager.isAlive(), "the manager outlives the ssi-start that launched it");
        manager.destroyForcibly(); // SIGKILL: no shutdown hook, the registry entry stays behind
        awaitDead(pid);

        List<String> ls = ok("cluster", "ls").out().lines().toList();
        assertTrue(ls.get(2).matches("10001\\s+-\\s+.*stale: its manager is gone \\(ssi-stop 10001 removes it\\)"), ls.toString());
        assertTrue(ls.get(3).matches("10002\\s+1 2 3\\s+[A-Z].*[A-Z]{2,}"), ls.toString());
        assertFalse(ls.get(3).contains("stale"), ls.toString());

        CliProcess.Result add = cli.run("cluster", "add", "10001", "3");
        assertEquals(1, add.exit());
        assertEquals("ssilab: cluster 10001 is stale: its manager is gone (ssi-stop 10001 removes it)\n", add.err());

        assertEquals("Cluster 10001 was stale (its manager had gone); it has been removed\n", ok("cluster", "stop", "10001").out());
        assertFalse(Files.exists(cli.clustersDir().resolve("10001")));
        List<String> after = ok("cluster", "ls").out().lines().toList();
        assertEquals(3, after.size(), after.toString());
        assertTrue(after.get(2).startsWith("10002 "), after.toString());
    }

    @Test
    void interruptingSsiStartWhileNodesBootLeavesNoClusterAndNoManagerBehind() throws Exception {
        cli = new CliProcess(temp);
        Files.writeString(cli.work.resolve("root_fs"), "slow-boot\n");
        CliProcess.Running start = cli.start(null, "cluster", "start", "--backend", "echo", "2");
        long client = start.process().pid();
        long manager = -1;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (manager < 0) {
            assertTrue(Instant.now().isBefore(deadline), "the manager never took over cluster 10001");
            Path stateFile = cli.clustersDir().resolve("10001/state.properties");
            if (Files.exists(stateFile)) {
                long pid = Long.parseLong(state(10001).getProperty("pid"));
                manager = pid == client ? -1 : pid;
            }
            Thread.sleep(20);
        }
        CliProcess.Result stop = cli.run("cluster", "stop", "10001");
        assertEquals(1, stop.exit(), stop::toString);
        assertEquals("ssilab: cluster 10001 is still starting; run ssi-stop 10001 again once ssi-start has finished\n", stop.err());
        assertTrue(ok("cluster", "ls").out().matches("(?s).*10001\\s+-\\s+[A-Z][a-z]{2} .*"), "a starting cluster is listed, not stale");

        start.process().destroy(); // SIGTERM, like Ctrl-C: the JVM runs its shutdown hooks
        assertTrue(start.process().waitFor(60, TimeUnit.SECONDS), "ssi-start did not end on SIGTERM");
        awaitDead(manager);
        assertFalse(Files.exists(cli.clustersDir().resolve("10001")), "the half-started cluster is removed");
        assertEquals("No clusters have been found.\n", ok("cluster", "ls").out());
    }

    @Test
    void aStateFolderTooDeepForASocketPathPutsTheSocketUnderTmpAndStopRemovesIt() throws IOException {
        Path deep = temp.resolve("x".repeat(60)).resolve("y".repeat(60));
        cli = new CliProcess(temp, deep);
        ok("cluster", "start", "--backend", "echo", "2");
        Path socket = Path.of(state(10001).getProperty("socket"));
        assertFalse(socket.startsWith(cli.clustersDir()), socket.toString());
        assertTrue(socket.toString().length() <= 100, socket.toString());
        assertEquals("ok\n", ok("exec", "10001", "2", "--", "echo ok").out());
        ok("cluster", "stop", "10001");
        assertFalse(Files.exists(socket.getParent()), "the socket folder under tmp is removed: " + socket);
    }

    /** 20 ssi-add/ssi-rm at once: each either does its change or refuses it, and the registry matches the manager. */
    @Test
    void twentyConcurrentAddsAndRemovesLeaveTheRegistryConsistent() throws Exception {
        cli = new CliProcess(temp);
        ok("cluster", "start", "--backend", "echo", "10");
        List<CliProcess.Running> removes = new ArrayList<>();
        List<CliProcess.Running> adds = new ArrayList<>();
        for (int node = 1; node <= 9; node++) {
            removes.add(cli.start(null, "cluster", "rm", "10001", Integer.toString(node)));
        }
        for (int node = 11; node <= 15; node++) {
            // each node is asked for twice: exactly one of the two may win
            adds.add(cli.start(null, "cluster", "add", "10001", Integer.toString(node)));
            adds.add(cli.start(null, "cluster", "add", "10001", Integer.toString(node)));
        }
        CliProcess.Running ls = cli.start(null, "cluster", "ls");

        for (CliProcess.Running r : removes) {
            CliProcess.Result res = finish(r);
            assertEquals(0, res.exit(), res::toString);
            assertTrue(res.out().matches("Node \\d of cluster 10001 has crashed; .*\n"), res::toString);
        }
        int added = 0;
        for (CliProcess.Running r : adds) {
            CliProcess.Result res = finish(r);
            if (res.exit() == 0) {
                added++;
                assertTrue(res.out().matches("Node 1[1-5] has been added to cluster 10001\n"), res::toString);
            } else {
                assertEquals(1, res.exit(), res::toString);
                assertTrue(res.err().matches("ssilab: node 1[1-5] is already up in cluster 10001 \\(nodes up: [0-9 ]+\\)\n"), res::toString);
            }
        }
        assertEquals(5, added, "one add per node wins");
        CliProcess.Result listing = finish(ls);
        assertEquals(0, listing.exit(), listing::toString);
        assertTrue(listing.out().contains("10001  "), listing::toString);

        Properties state = state(10001);
        assertEquals("RUNNING", state.getProperty("phase"));
        assertEquals("10 11 12 13 14 15", state.getProperty("nodes.up"));
        List<Integer> managerUp = new Clusters(cli.paths()).nodes(10001).stream()
                .filter(n -> n.state().isUp()).map(NodeStatus::node).toList();
        assertEquals(List.of(10, 11, 12, 13, 14, 15), managerUp);
        assertTrue(ok("cluster", "ls").out().contains("10001  10 11 12 13 14 15  "));
        try (var files = Files.list(cli.clustersDir().resolve("10001"))) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(),
                    "no half-written state file is left");
        }
    }

    private static CliProcess.Result finishWith(CliProcess cli, CliProcess.Running r) throws InterruptedException {
        if (!r.process().waitFor(120, TimeUnit.SECONDS)) {
            r.process().destroyForcibly();
            throw new AssertionError("a concurrent ssilab command did not finish within 120 s");
        }
        return cli.result(r);
    }

    private CliProcess.Result finish(CliProcess.Running r) throws InterruptedException {
        return finishWith(cli, r);
    }

    private static void awaitDead(long pid) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Files.exists(Path.of("/proc/" + pid)) && !zombie(pid)) {
            assertTrue(Instant.now().isBefore(deadline), "manager " + pid + " survived SIGKILL");
            Thread.sleep(10);
        }
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }
}
