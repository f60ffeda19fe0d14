package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster manager and ssi-stop against what should not happen: a state file naming a stranger's pid,
 * a corrupt state file of a live cluster, a loose umask, and clients that half-send or send junk.
 * Every test drives the CLI as a process, a real manager and its real socket.
 */
class ManagerSafetyProcessTest {
    @TempDir
    Path temp;

    CliProcess cli;
    final List<Process> started = new ArrayList<>();

    @AfterEach
    void tearDown() {
        if (cli != null) {
            cli.cleanUp();
        }
        started.forEach(Process::destroyForcibly);
    }

    private CliProcess.Result ok(String... args) {
        CliProcess.Result r = cli.run(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed: " + r);
        return r;
    }

    private Path stateFile(int id) {
        return cli.clustersDir().resolve(id + "/state.properties");
    }

    private Properties state(int id) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(stateFile(id))));
        return p;
    }

    private static void awaitDead(long pid, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (Instant.now().isAfter(deadline)) {
                fail("process " + pid + " still runs after " + within.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void ssiStopNeverSignalsAPidThatIsNotThisClustersManager() throws Exception {
        cli = new CliProcess(temp);
        ok("cluster", "start", "--backend", "echo", "2");
        long manager = Long.parseLong(state(10001).getProperty("pid"));
        ProcessHandle.of(manager).orElseThrow().destroyForcibly();
        awaitDead(manager, Duration.ofSeconds(10));

        Process sleep = new ProcessBuilder("sleep", "1000").start();
        started.add(sleep);
        Instant sleepStarted = sleep.info().startInstant().orElseThrow();
        // A tampered entry: the stranger's pid with its true start time, so only "is it clusterd 10001?" can tell.
        Files.writeString(stateFile(10001), Files.readString(stateFile(10001))
                .replaceFirst("(?m)^pid=.*$", "pid=" + sleep.pid())
                .replaceFirst("(?m)^pid.started=.*$", "pid.started=" + sleepStarted.toString().replace(":", "\\\\:")));
        assertEquals(Long.toString(sleep.pid()), state(10001).getProperty("pid"));
        assertEquals(sleepStarted, Instant.parse(state(10001).getProperty("pid.started")), "the entry still parses");
        assertTrue(ok("cluster", "ls").out().contains("stale"), "a stranger's pid is no manager");

        Instant before = Instant.now();
        CliProcess.Result stop = ok("cluster", "stop", "10001");
        assertTrue(Duration.between(before, Instant.now()).toSeconds() < 15, "ssi-stop must not wait 30 s for a stranger");
        assertTrue(sleep.isAlive(), "ssi-stop killed an unrelated process");
        assertEquals("Cluster 10001 was stale (its manager had gone); it has been removed\n", stop.out());
        assertFalse(Files.exists(cli.clustersDir().resolve("10001")));
    }

    @Test
    void aStateFileNamingAnotherClustersSocketDoesNotStopThatCluster() throws Exception {
        cli = new CliProcess(temp);
        ok("cluster", "start", "--backend", "echo", "2");
        ok("cluster", "start", "--backend", "echo", "2");
        long manager = Long.parseLong(state(10001).getProperty("pid"));
        long other = Long.parseLong(state(10002).getProperty("pid"));
        ProcessHandle.of(manager).orElseThrow().destroyForcibly();
        awaitDead(manager, Duration.ofSeconds(10));
        String otherSocket = Files.readString(stateFile(10002)).lines().filter(l -> l.startsWith("socket=")).findFirst().orElseThrow();
        Files.writeString(stateFile(10001), Files.readString(stateFile(10001)).replaceFirst("(?m)^socket=.*$",
                java.util.regex.Matcher.quoteReplacement(otherSocket)));

        assertEquals("Cluster 10001 was stale (its manager had gone); it has been removed\n", ok("cluster", "stop", "10001").out());
        assertTrue(ProcessHandle.of(other).map(ProcessHandle::isAlive).orElse(false), "cluster 10002's manager was stopped");
        assertEquals("hi\n", ok("exec", "10002", "1", "echo hi").out());
    }

    @Test
    void aLiveClusterWithACorruptStateFileIsStoppedThroughItsSocket() throws Exception {
        cli = new CliProcess(temp);
        ok("cluster", "start", "--backend", "sim", "2");
        long manager = Long.parseLong(state(10001).getProperty("pid"));
        Files.writeString(stateFile(10001), "id=10001\nphase=WHAT\npid=oops\n");

        List<String> ls = ok("cluster", "ls").out().lines().toList();
        assertFalse(String.join("\n", ls).contains("stale"), "a manager that answers on its socket is not stale: " + ls);

        CliProcess.Result stop = ok("cluster", "stop", "10001");
        assertEquals("Cluster 10001 has been stopped\n", stop.out());
        awaitDead(manager, Duration.ofSeconds(20));
        assertFalse(Files.exists(cli.clustersDir().resolve("10001")));
    }

    @Test
    void theClusterFolderSocketAndLogAreTheLearnersOnlyEvenUnderUmask002() throws Exception {
        cli = new CliProcess(temp);
        List<String> command = new ArrayList<>(List.of("sh", "-c", "umask 002; exec \"$@\"", "sh"));
        command.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ssilab.cli.Main",
                "cluster", "start", "--backend", "echo", "2"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cli.work.toFile()).redirectErrorStream(true)
                .redirectOutput(temp.resolve("start.out").toFile());
        pb.environment().remove("SSILAB_PROG");
        pb.environment().remove("TMUX");
        pb.environment().remove("DISPLAY");
        pb.environment().putAll(cli.env);
        Process start = pb.start();
        started.add(start);
        assertTrue(start.waitFor(90, TimeUnit.SECONDS));
        assertEquals(0, start.exitValue(), () -> readQuietly(temp.resolve("start.out")));

        Path dir = cli.clustersDir().resolve("10001");
        Path socket = Path.of(state(10001).getProperty("socket"));
        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(socket));
        assertEquals("rw-------", mode(dir.resolve("manager.log")));
        // the learner's own commands still reach it
        assertTrue(ok("cluster", "ls").out().contains("10001"));
        assertEquals("hi\n", ok("exec", "10001", "1", "echo hi").out());
    }

    @Test
    void halfSentRequestsCostNoThreadEachAndJunkGetsOneLine() throws Exception {
        cli = new CliProcess(temp);
        ok("cluster", "start", "--backend", "echo", "2");
        long manager = Long.parseLong(state(10001).getProperty("pid"));
        Path socket = Path.of(state(10001).getProperty("socket"));
        int threadsBefore = threads(manager);

        List<SocketChannel> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                c.write(ByteBuffer.wrap("EX".getBytes(StandardCharsets.US_ASCII)));
                flood.add(c);
            }
            Thread.sleep(500); // let the manager accept them all
            int threadsDuring = threads(manager);
            assertTrue(threadsDuring < threadsBefore + 45,
                    "threads before " + threadsBefore + ", with 300 half-sent requests " + threadsDuring);

            Instant ping = Instant.now();
            String[] answer = request(socket, "PING\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("K", answer[0]);
            assertTrue(answer[1].startsWith("ssilab-clusterd 1"), answer[1]);
            assertTrue(Duration.between(ping, Instant.now()).toMillis() < 2000, "PING took too long under the flood");
        } finally {
            for (SocketChannel c : flood) {
                c.close();
            }
        }

        byte[] tooLong = ("PING" + "x".repeat(5000) + "\n").getBytes(StandardCharsets.US_ASCII);
        for (byte[] junk : List.of("FROB 1\n".getBytes(StandardCharsets.US_ASCII),
                "EXEC 1 soon\n".getBytes(StandardCharsets.US_ASCII),
                "EXEC\n".getBytes(StandardCharsets.US_ASCII),
                "CRASH 99999999999999\n".getBytes(StandardCharsets.US_ASCII),
                "ADD one\n".getBytes(StandardCharsets.US_ASCII),
                "CONSOLE 1 COOKED\n".getBytes(StandardCharsets.US_ASCII),
                "\n".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, '\n'},
                tooLong)) {
            String[] answer = request(socket, junk);
            String shown = new String(junk, 0, Math.min(junk.length, 20), StandardCharsets.ISO_8859_1);
            assertEquals("F", answer[0], shown + " -> " + answer[1]);
            assertFalse(answer[1].contains("\n"), "one line: " + answer[1]);
            assertFalse(answer[1].contains("Exception") || answer[1].contains("java."), "no exception text: " + answer[1]);
            assertTrue(answer[1].startsWith("malformed request") || answer[1].startsWith("unknown request"), answer[1]);
        }
        assertTrue(ok("cluster", "ls").out().contains("10001"), "the manager still serves");
    }

    /** Sends raw bytes as a request and returns the answer frame's type and text. */
    private static String[] request(Path socket, byte[] header) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap(header));
            ByteBuffer head = ByteBuffer.allocate(5);
            readFully(c, head);
            head.flip();
            char type = (char) head.get();
            ByteBuffer body = ByteBuffer.allocate(head.getInt());
            readFully(c, body);
            return new String[] {String.valueOf(type), new String(body.array(), StandardCharsets.UTF_8)};
        }
    }

    private static void readFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                throw new IOException("the manager closed the connection without an answer");
            }
        }
    }

    private static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).trim());
            }
        }
        throw new IllegalStateException("no Threads: line for " + pid);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
