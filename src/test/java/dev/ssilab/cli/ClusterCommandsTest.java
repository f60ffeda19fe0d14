package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.Clusters;
import dev.ssilab.cluster.NodeState;
import dev.ssilab.cluster.NodeStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed command contract of ssi-start/ls/add/rm/stop, exec and console, run as real processes on the echo test backend. */
class ClusterCommandsTest {
    private static final String DATE = "[A-Z][a-z]{2} \\d{2} \\d{4}, \\d{2}:\\d{2}:\\d{2} [AP]M \\S+";

    @TempDir
    Path temp;

    CliProcess cli;

    @BeforeEach
    void setUp() {
        cli = new CliProcess(temp);
    }

    @AfterEach
    void tearDown() {
        cli.cleanUp();
    }

    private CliProcess.Result ok(String... args) {
        CliProcess.Result r = cli.run(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed: " + r);
        return r;
    }

    private void start(int nodes) {
        ok("cluster", "start", "--backend", "echo", Integer.toString(nodes));
    }

    @Test
    void startPrintsTheSeedLineCreatesSparseSwapFilesAndLsListsTheCluster() throws IOException {
        CliProcess.Result started = ok("cluster", "start", "--backend", "echo", "4");
        assertEquals("Cluster 10001 has been started with 4 nodes\n", started.out());
        assertEquals("note: no X display or tmux here: 'ssilab console 10001 N' attaches to node N's console\n", started.err());
        for (int n = 1; n <= 4; n++) {
            Path swap = cli.work.resolve("swap_" + n);
            assertEquals(64L << 20, Files.size(swap), swap + " size");
        }
        assertFalse(Files.exists(cli.work.resolve("swap_5")));

        List<String> ls = ok("cluster", "ls").out().lines().toList();
        assertEquals("The following clusters have been found:", ls.get(0));
        assertTrue(ls.get(1).matches("ID\\s+Nodes\\s+Date started"), ls.get(1));
        assertTrue(ls.get(2).matches("10001\\s+1 2 3 4\\s+" + DATE), ls.get(2));
        assertEquals(3, ls.size(), ls.toString());
    }

    @Test
    void aSimulatedClusterSaysSoOnStderrAndKeepsTheSeedLineAloneOnStdout() {
        CliProcess.Result started = ok("cluster", "start", "--backend", "sim", "2");
        assertEquals("Cluster 10001 has been started with 2 nodes\n", started.out());
        assertTrue(started.err().contains("runs on the sim backend"), started.err());
        assertEquals(1, started.err().lines().count(), started.err());
        assertTrue(started.err().contains("ssilab console 10001 N"), started.err());
    }

    @Test
    void theHowtosFormsWithoutAnIdWorkWhenOneClusterRunsAndAddSkipsNodesAlreadyUp() {
        start(3);
        CliProcess.Result add = ok("cluster", "add", "3", "5");
        assertEquals("Node 5 has been added to cluster 10001\n", add.out(), "ssi-add 3 5 skips node 3 and boots node 5");
        assertTrue(add.err().contains("note: node 3 is already up in cluster 10001; skipped"), add.err());
        assertEquals("Node 1 of cluster 10001 has crashed; services now on node 2: CLMS master, init, root\n"
                + "Node 5 of cluster 10001 has crashed; no centralized service ran on it\n", ok("cluster", "rm", "1", "5").out());
        CliProcess.Result refused = cli.run("cluster", "rm", "2", "9");
        assertEquals(1, refused.exit(), refused::toString);
        assertEquals("ssilab: node 9 is not up in cluster 10001 (nodes up: 2 3); nothing was crashed\n", refused.err());
        CliProcess.Result allUp = cli.run("cluster", "add", "10001", "2", "3");
        assertEquals("ssilab: nodes 2 3 are already up in cluster 10001 (nodes up: 2 3)\n", allUp.err());

        start(1);
        for (String[] args : List.of(new String[] {"cluster", "add", "4"}, new String[] {"cluster", "rm", "2"}, new String[] {"cluster", "stop"})) {
            CliProcess.Result r = cli.run(args);
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.err().matches("ssilab: several clusters are running \\(10001, 10002\\): name the one you mean, e\\.g\\. ssi-\\w+ 10001.*\n"), r::toString);
        }
        assertEquals("Cluster 10002 has been stopped\n", ok("cluster", "stop", "10002").out());
        assertEquals("Cluster 10001 has been stopped\n", ok("cluster", "stop").out(), "ssi-stop alone stops the only cluster");
        CliProcess.Result none = cli.run("cluster", "stop");
        assertEquals("ssilab: no cluster is running: start one with ssi-start (ssi-ls lists the clusters)\n", none.err());
    }

    @Test
    void startDefaultsToThreeNodesTakesTheNextIdAndStopKeepsSwapFiles() throws IOException {
        start(4);
        assertEquals("Cluster 10002 has been started with 3 nodes\n", ok("cluster", "start", "--backend", "echo", "-s", "8").out());
        assertEquals(64L << 20, Files.size(cli.work.resolve("swap_1")), "an existing swap file is reused as it is");

        assertEquals("Cluster 10002 has been stopped\n", ok("cluster", "stop", "10002").out());
        assertFalse(Files.exists(cli.clustersDir().resolve("10002")));
        List<String> ls = ok("cluster", "ls").out().lines().toList();
        assertEquals(3, ls.size(), ls.toString());
        assertTrue(ls.get(2).startsWith("10001 "), ls.toString());
        assertTrue(Files.exists(cli.work.resolve("swap_3")), "ssi-stop keeps the swap files");

        // the freed id is the lowest free one again
        assertEquals("Cluster 10002 has been started with 1 node\n", ok("cluster", "start", "--backend", "echo", "1").out());
    }

    @Test
    void startHonoursRootSwapKernelAndInitrdOptions() throws IOException {
        Path images = Files.createDirectories(temp.resolve("images"));
        Files.writeString(images.resolve("my_root"), "root\n");
        Files.writeString(images.resolve("vmlinux"), "kernel\n");
        Files.writeString(images.resolve("initrd.img"), "initrd\n");
        CliProcess.Result r = ok("cluster", "start", "--backend", "echo", "-r", images.resolve("my_root").toString(),
                "-s", "2", "-k", images.resolve("vmlinux").toString(), "-i", images.resolve("initrd.img").toString(), "2");
        assertEquals("Cluster 10001 has been started with 2 nodes\n", r.out());
        assertEquals(2L << 20, Files.size(images.resolve("swap_1")));
        assertEquals(2L << 20, Files.size(images.resolve("swap_2")));
        String state = Files.readString(cli.clustersDir().resolve("10001/state.properties"));
        assertTrue(state.contains("kernel=" + images.resolve("vmlinux")), state);
        assertTrue(state.contains("initrd=" + images.resolve("initrd.img")), state);
    }

    @Test
    void addBootsNodesAndRmSaysWhereTheServicesWent() {
        start(4);
        assertEquals("Nodes 5 6 have been added to cluster 10001\n", ok("cluster", "add", "10001", "5", "6").out());
        assertTrue(ok("cluster", "ls").out().contains("10001  1 2 3 4 5 6  "));

        assertEquals("Node 1 of cluster 10001 has crashed; services now on node 2: CLMS master, init, root\n",
                ok("cluster", "rm", "10001", "1").out());
        assertTrue(ok("cluster", "ls").out().contains("10001  2 3 4 5 6  "));
        assertEquals("Node 3 of cluster 10001 has crashed; no centralized service ran on it\n",
                ok("cluster", "rm", "10001", "3").out());

        List<NodeStatus> nodes = new Clusters(cli.paths()).nodes(10001);
        assertEquals(NodeState.DOWN, nodes.get(0).state());
        assertEquals(List.of("CLMS master", "init", "root"), nodes.get(1).services());
        assertEquals("Node 1 has been added to cluster 10001\n", ok("cluster", "add", "10001", "1").out(),
                "a crashed node can be added again");
    }

    @Test
    void execRunsOneWordAsAShellLineSeveralWordsEachExactlyAndExitsWithTheCommandsStatus() throws IOException {
        start(3);
        assertEquals("hello from node 3\n", ok("exec", "10001", "3", "--", "echo hello from node $SSILAB_NODE").out());
        ok("exec", "10001", "2", "--", "echo x >fifo_like_file");
        assertEquals("x\n", Files.readString(cli.clustersDir().resolve("10001/fifo_like_file")));
        assertEquals(7, cli.run("exec", "10001", "1", "--", "echo before; exit 7").exit());
        // several words: each reaches the command as given, as one argument, nothing expanded
        assertEquals("a   b $SSILAB_NODE * it's ;\n", ok("exec", "10001", "3", "--", "echo", "a   b", "$SSILAB_NODE", "*", "it's", ";").out());
        assertEquals("a  b\n", ok("exec", "10001", "2", "--", "sh", "-c", "echo \"a  b\"").out());
        assertEquals(0, cli.run("exec", "10001", "1", "--", "echo", "before;", "exit", "7").exit(), "exit 7 is echoed, not run");

        CliProcess.Result timedOut = cli.run("exec", "--timeout", "1", "10001", "1", "--", "echo started; sleep 20");
        assertEquals(124, timedOut.exit(), timedOut::toString);
        assertEquals("started\n", timedOut.out());
        assertTrue(timedOut.err().contains("ended after 1 s"), timedOut::toString);
    }

    @Test
    void leavingExecEarlyEndsTheCommandOnTheNode() throws Exception {
        start(1);
        Path pidFile = cli.clustersDir().resolve("10001/cmd.pid");
        CliProcess.Running exec = cli.start(null, "exec", "10001", "1", "--", "echo $$ >cmd.pid.tmp; mv cmd.pid.tmp cmd.pid; sleep 60");
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        while (!Files.exists(pidFile)) {
            assertTrue(java.time.Instant.now().isBefore(deadline), "the command never started");
            Thread.sleep(20);
        }
        long shell = Long.parseLong(Files.readString(pidFile).trim());
        exec.process().destroy(); // the learner presses Ctrl-C
        assertTrue(exec.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        deadline = java.time.Instant.now().plusSeconds(20);
        while (ProcessHandle.of(shell).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(java.time.Instant.now().isBefore(deadline), "the command outlived its client");
            Thread.sleep(20);
        }
        assertEquals("ok\n", ok("exec", "10001", "1", "--", "echo ok").out(), "the manager serves the next request");
    }

    @Test
    void consoleConnectsStdinAndStdoutToTheNodesShell() {
        start(2);
        CliProcess.Result r = cli.runWithInput("echo on node $SSILAB_NODE\nexit 3\necho never\n", "console", "10001", "2");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("on node 2\n", r.out());
    }

    @Test
    void everyWrongInputPrintsOneLineExitsOneAndChangesNothing() throws IOException {
        start(2);
        ok("cluster", "start", "--backend", "echo", "1"); // 10002: a cluster with one node up
        Files.writeString(temp.resolve("dir-not-file"), "");
        String[][] wrong = {
            {"cluster", "start", "--backend", "echo", "0"},
            {"cluster", "start", "--backend", "echo", "16"},
            {"cluster", "start", "--backend", "echo", "four"},
            {"cluster", "start", "--backend", "echo", "-r", "missing_root", "2"},
            {"cluster", "start", "--backend", "echo", "-r", temp.toString(), "2"},
            {"cluster", "start", "--backend", "echo", "-k", "missing_kernel", "2"},
            {"cluster", "start", "--backend", "echo", "-i", "missing_initrd", "2"},
            {"cluster", "start", "--backend", "echo", "-s", "0", "2"},
            {"cluster", "start", "--backend", "echo", "-s", "lots", "2"},
            {"cluster", "start", "--backend", "nosuch", "2"},
            {"cluster", "add", "10001", "2"},
            {"cluster", "add", "10001", "2", "1"},
            {"cluster", "add", "10001", "3", "3"},
            {"cluster", "add", "10001", "16"},
            {"cluster", "add", "10001", "0"},
            {"cluster", "add", "10001", "x"},
            {"cluster", "add", "10001"},
            {"cluster", "add", "ten", "3"},
            {"cluster", "add", "10099", "3"},
            {"cluster", "rm", "10001", "5"},
            {"cluster", "rm", "10001", "y"},
            {"cluster", "rm", "10099", "1"},
            {"cluster", "rm", "10002", "1"},
            {"cluster", "stop", "10099"},
            {"cluster", "stop", "z"},
            {"exec", "10001", "9", "--", "true"},
            {"exec", "10099", "1", "--", "true"},
            {"exec", "10001", "1"},
            {"console", "10001", "7"},
        };
        Map<String, String> before = snapshot();
        for (String[] args : wrong) {
            CliProcess.Result r = cli.run(args);
            String what = String.join(" ", args) + " -> " + r;
            assertEquals(1, r.exit(), what);
            assertEquals(1, r.errLines().size(), what);
            assertTrue(r.err().startsWith("ssilab: "), what);
            assertFalse(r.err().contains("Exception"), what);
            assertEquals("", r.out(), what);
            assertEquals(before, snapshot(), "changed something: " + what);
        }
        String last = cli.run("cluster", "rm", "10002", "1").err();
        assertTrue(last.contains("last node cannot be removed"), last);
        assertTrue(cli.run("cluster", "add", "10001", "2").err().contains("node 2 is already up in cluster 10001"));
        assertTrue(cli.run("cluster", "rm", "10001", "5").err().contains("node 5 is not up in cluster 10001"));
        assertTrue(cli.run("cluster", "add", "10099", "3").err().contains("no cluster 10099"));
        assertTrue(cli.run("cluster", "start", "--backend", "echo", "-r", "missing_root").err()
                .contains("root image missing_root not found"));
    }

    @Test
    void startWithoutARootImageInTheWorkingFolderIsRefused() throws IOException {
        Files.delete(cli.work.resolve("root_fs"));
        CliProcess.Result r = cli.run("cluster", "start", "--backend", "echo", "4");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("ssilab: root image root_fs not found (give one with -r ROOT, or run ssi-start where root_fs is)\n", r.err());
        assertFalse(Files.exists(cli.clustersDir().resolve("10001")));
        assertFalse(Files.exists(cli.work.resolve("swap_1")));
    }

    @Test
    void aBackendThatCannotBootLeavesNoClusterBehind() throws IOException {
        Files.writeString(cli.work.resolve("root_fs"), "fail-boot\n");
        CliProcess.Result r = cli.run("cluster", "start", "--backend", "echo", "2");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("ssilab: cluster 10001 could not start: node 1 did not boot: the test root image says fail-boot\n", r.err());
        assertEquals("No clusters have been found.\n", ok("cluster", "ls").out());
        assertFalse(Files.exists(cli.clustersDir().resolve("10001")));
    }

    /** Every file of the registry and the working folder with its content (logs excluded: they only grow). */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (Path root : List.of(cli.clustersDir(), cli.work)) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    if (p.getFileName().toString().equals("manager.log")) {
                        continue;
                    }
                    files.put(p.toString(), Files.size(p) > 4096 ? "size " + Files.size(p) : Files.readString(p));
                }
            }
        }
        return files;
    }
}
