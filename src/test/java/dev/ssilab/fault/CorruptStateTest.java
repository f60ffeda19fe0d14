package dev.ssilab.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cli.SsilabProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #12, fault class 2: the files ssilab keeps between runs, damaged. Every command that reads them
 * either says one clear line or recovers, within a bound, leaves them sane (a second run works), and
 * never signals a process that is not its own.
 */
class CorruptStateTest {
    @TempDir
    Path tmp;

    private Process stranger;

    @AfterEach
    void cleanUp() {
        if (stranger != null) {
            stranger.destroyForcibly();
        }
        FaultKit.killManagersOf(tmp);
    }

    private SsilabProcess.Result ssilab(String stdin, String... args) throws Exception {
        SsilabProcess.Result r = FaultKit.ssilab(tmp).run(stdin, args);
        FaultKit.noJavaText(String.join(" ", args), r.out() + r.err());
        assertTrue(r.err().lines().count() <= 1, "at most one line on stderr from ssilab " + String.join(" ", args) + ": " + r.err());
        return r;
    }

    static Stream<Arguments> progressFiles() {
        byte[] junk = new byte[400];
        new Random(7).nextBytes(junk);
        return Stream.of(
                Arguments.of("binary junk", junk),
                Arguments.of("truncated before its version", "#ssilab progress\nlesson=overview\nste".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("truncated inside a value", "version=1\nlesson=overview\nstep=1\ndone=introduction#".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a lesson that does not exist", "version=1\nlesson=no-such-lesson\nstep=9999\n".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "progress file: {0}")
    @MethodSource("progressFiles")
    void theTutorRecoversFromADamagedProgressFile(String what, byte[] content) throws Exception {
        Path progress = Files.createDirectories(tmp.resolve("state/ssilab")).resolve("progress.properties");
        Files.write(progress, content);
        SsilabProcess.Result first = ssilab("quit\n");
        assertEquals(0, first.exit(), "the tutor starts and quits: " + first.err());
        assertTrue(first.out().contains("Welcome") || first.out().contains("Lesson"), "the tutor ran: " + first.out());
        // A second run is clean: the damage was dealt with once, not on every start.
        SsilabProcess.Result second = ssilab("quit\n");
        assertEquals(0, second.exit(), second.err());
        assertEquals("", second.err(), "no warning the second time");
        assertTrue(second.out().contains("Welcome") || second.out().contains("Lesson"), second.out());
        assertTrue(Files.isRegularFile(progress), "progress is saved again");
    }

    /** What a state file of cluster 10002 may hold when damaged. */
    private void clusterState(String kind) throws Exception {
        Path dir = tmp.resolve("state/ssilab/clusters/10002");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path file = dir.resolve("state.properties");
        switch (kind) {
            case "empty" -> Files.write(file, new byte[0]);
            case "binary" -> {
                byte[] junk = new byte[500];
                new Random(3).nextBytes(junk);
                Files.write(file, junk);
            }
            case "truncated" -> Files.writeString(file, "phase=RUNNING\nnodes.up=1 2 3\nstarted=2026-11-30T04\\:00");
            case "unrelated pid" -> {
                stranger = new ProcessBuilder("sleep", "300").start();
                Files.writeString(file, valid(stranger.pid(), dir.resolve("manager.sock")));
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    private String valid(long pid, Path socket) {
        return "phase=RUNNING\nnodes.up=1 2 3\nkernel=\nstarted=2026-11-30T04\\:00\\:08Z\npid=" + pid
                + "\nstart.nodes=3\ninitrd=\npid.started=\nroot=" + tmp.resolve("root_fs") + "\nswap.mb=64\nbackend=sim\nid=10002\nsocket="
                + socket + "\n";
    }

    @ParameterizedTest(name = "cluster state file: {0}")
    @ValueSource(strings = {"empty", "binary", "truncated", "unrelated pid"})
    void everyCommandSaysOneClearLineAboutADamagedClusterFile(String kind) throws Exception {
        clusterState(kind);
        SsilabProcess.Result tutor = ssilab("quit\n");
        assertEquals(0, tutor.exit(), "the tutor does not need the cluster: " + tutor.err());
        SsilabProcess.Result ls = ssilab("", "cluster", "ls");
        assertEquals(0, ls.exit(), ls.err());
        assertTrue(ls.out().contains("10002") && ls.out().contains("stale"), "ssi-ls shows the entry as stale: " + ls.out());
        SsilabProcess.Result add = ssilab("", "cluster", "add", "10002", "4");
        assertTrue(add.exit() != 0, "nothing can be added to it: " + add.out());
        assertTrue(add.err().startsWith("ssilab: ") && add.err().contains("10002")
                        && (add.err().contains("corrupt") || add.err().contains("stale")),
                "one line saying the entry is corrupt or stale, and how to clear it: " + add.err());
        SsilabProcess.Result stop = ssilab("", "cluster", "stop", "10002");
        assertEquals(0, stop.exit(), "ssi-stop clears it: " + stop.err());
        SsilabProcess.Result again = ssilab("", "cluster", "ls");
        assertEquals(0, again.exit(), again.err());
        assertEquals("No clusters have been found.", again.out().strip());
        if (stranger != null) {
            assertTrue(stranger.isAlive(), "the unrelated process named in the file was not signalled");
        }
    }

    @ParameterizedTest(name = "a running cluster whose state file names {0}")
    @ValueSource(strings = {"a socket that does not exist", "an unrelated pid"})
    void aRunningClusterWithAWrongEntryIsReportedAndStillStops(String what) throws Exception {
        Files.writeString(tmp.resolve("root_fs"), "sim\n");
        SsilabProcess.Result start = ssilab("", "cluster", "start", "2");
        assertEquals(0, start.exit(), start.err());
        List<Long> managers = FaultKit.managersOf(tmp);
        assertEquals(1, managers.size(), "one manager: " + managers);
        Path file = tmp.resolve("state/ssilab/clusters/10001/state.properties");
        String text = Files.readString(file);
        if (what.startsWith("a socket")) {
            text = text.replaceAll("(?m)^socket=.*$", "socket=" + tmp.resolve("no-such.sock").toString().replace(":", "\\:"));
        } else {
            stranger = new ProcessBuilder("sleep", "300").start();
            text = text.replaceAll("(?m)^pid=.*$", "pid=" + stranger.pid()).replaceAll("(?m)^pid\\.started=.*$", "pid.started=");
        }
        Files.writeString(file, text);
        SsilabProcess.Result ls = ssilab("", "cluster", "ls");
        assertEquals(0, ls.exit(), ls.err());
        assertTrue(ls.out().contains("10001"), ls.out());
        SsilabProcess.Result add = ssilab("", "cluster", "add", "10001", "4");
        if (add.exit() != 0) {
            assertTrue(add.err().startsWith("ssilab: ") && add.err().contains("10001"), "one line naming the cluster: " + add.err());
        }
        SsilabProcess.Result stop = ssilab("", "cluster", "stop", "10001");
        assertEquals(0, stop.exit(), "ssi-stop clears it: " + stop.err());
        assertEquals("No clusters have been found.", ssilab("", "cluster", "ls").out().strip());
        if (stranger != null) {
            assertTrue(stranger.isAlive(), "the unrelated process named in the file was not signalled");
        }
        // The real manager must not be left behind with nobody able to reach it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!FaultKit.managersOf(tmp).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), FaultKit.managersOf(tmp), "no orphan manager once the entry is cleared");
        assertStartWorks();
    }

    /** The registry is sane afterwards: a new cluster starts, is listed, and stops. */
    private void assertStartWorks() throws Exception {
        Files.writeString(tmp.resolve("root_fs"), "sim\n");
        SsilabProcess.Result start = ssilab("", "cluster", "start", "1");
        assertEquals(0, start.exit(), start.err());
        assertTrue(ssilab("", "cluster", "ls").out().contains("Nodes"));
        SsilabProcess.Result stop = ssilab("", "cluster", "stop");
        assertEquals(0, stop.exit(), stop.err());
        assertFalse(ssilab("", "cluster", "ls").out().contains("100"), "no cluster left");
    }
}
