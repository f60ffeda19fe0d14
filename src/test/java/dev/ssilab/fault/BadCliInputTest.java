package dev.ssilab.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ssilab.cli.SsilabProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #12, fault class 1: bad input to every command (from {@code ssilab --help} and each subcommand's
 * --help), each case its own ssilab process so its exit status is real.
 *
 * <p>The rule each case must meet: exit status not 0; stderr is exactly one line, except that a usage
 * block may follow that line when the exit status is 2 (picocli's "usage error" status, which ssilab
 * keeps for a command group named without its subcommand); no Java exception text on stdout or stderr;
 * the XDG state folder holds the same files, with the same bytes, afterwards; and no cluster is left:
 * no manager process of the case's folders, and {@code ssi-ls} still lists none after the cluster commands.
 *
 * <p>The processes are started from {@link #runAll} a few at a time (a JVM start costs about half a second
 * on a loaded machine; 100 of them one after the other would take minutes); each case's own assertions
 * then run as one parameterized test each.
 */
class BadCliInputTest {
    /** Placeholders in the cases: the shared fixtures folder, and the loopback server's base URL. */
    private static final String FX = "@FX", URL = "@URL";

    @TempDir
    static Path tmp;

    private static HttpServer server;
    private static Path fx;
    private static String url;
    private static final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

    record Outcome(SsilabProcess.Result result, TreeMap<String, String> before, TreeMap<String, String> after,
                   List<Long> managers, SsilabProcess.Result ls) {}

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        // The top level, and options before the command.
        c.add(of("", "--frobnicate"));
        c.add(of("", "nosuchcommand"));
        c.add(of("", "--backend", "xen", "lint"));
        c.add(of("", "--backend", ""));
        c.add(of("quit\n", "--course", FX + "/missing"));
        c.add(of("quit\n", "--course", FX + "/file.md"));
        c.add(of("quit\n", "--course", FX + "/empty"));
        c.add(of("", "--workdir"));
        // cluster and its five commands (ssi-start, ssi-add, ssi-ls, ssi-rm, ssi-stop).
        c.add(of("", "cluster", "frob"));
        c.add(of("", "cluster", "--frob"));
        c.add(of("", "cluster", "start", "--frob"));
        c.add(of("", "cluster", "start", "16"));
        c.add(of("", "cluster", "start", "0"));
        c.add(of("", "cluster", "start", "-5"));
        c.add(of("", "cluster", "start", "abc"));
        c.add(of("", "cluster", "start", "99999999999999999999"));
        c.add(of("", "cluster", "start", "3", "4"));
        c.add(of("", "cluster", "start", "-s", "-5", "2"));
        c.add(of("", "cluster", "start", "-s", "abc", "2"));
        c.add(of("", "cluster", "start", "-s", "0", "2"));
        c.add(of("", "cluster", "start", "-s", "99999999999", "2"));
        c.add(of("", "cluster", "start", "-s"));
        c.add(of("", "cluster", "start", "-r", "/nonexistent", "2"));
        c.add(of("", "cluster", "start", "-r", FX + "/empty", "2"));
        c.add(of("", "cluster", "start", "-k", "/nonexistent", "2"));
        c.add(of("", "cluster", "start", "-i", "/nonexistent", "2"));
        c.add(of("", "cluster", "start", "--backend", "xen", "2"));
        c.add(of("", "cluster", "start", "--backend=", "2"));
        c.add(of("", "cluster", "add"));
        c.add(of("", "cluster", "add", "abc"));
        c.add(of("", "cluster", "add", "10001", "2"));
        c.add(of("", "cluster", "add", "1", "2"));
        c.add(of("", "cluster", "add", "10001", "abc"));
        c.add(of("", "cluster", "add", "10001", "-3"));
        c.add(of("", "cluster", "add", "10001", "0"));
        c.add(of("", "cluster", "add", "10001", "16"));
        c.add(of("", "cluster", "add", "10001", "99999999999999"));
        c.add(of("", "cluster", "add", "--frob", "10001", "2"));
        c.add(of("", "cluster", "rm"));
        c.add(of("", "cluster", "rm", "10001", "0"));
        c.add(of("", "cluster", "rm", "abc", "1"));
        c.add(of("", "cluster", "rm", "10001", "2"));
        c.add(of("", "cluster", "rm", "10001", "-1"));
        c.add(of("", "cluster", "rm", "0", "1"));
        c.add(of("", "cluster", "ls", "extra"));
        c.add(of("", "cluster", "ls", "--frob"));
        c.add(of("", "cluster", "stop", "abc"));
        c.add(of("", "cluster", "stop", "10001"));
        c.add(of("", "cluster", "stop", "-1"));
        c.add(of("", "cluster", "stop", "99999999999999"));
        // exec and console.
        c.add(of("", "exec"));
        c.add(of("", "exec", "10001"));
        c.add(of("", "exec", "10001", "1"));
        c.add(of("", "exec", "10001", "1", "--"));
        c.add(of("", "exec", "10001", "1", "--", ""));
        c.add(of("", "exec", "abc", "1", "--", "true"));
        c.add(of("", "exec", "10001", "abc", "--", "true"));
        c.add(of("", "exec", "7", "1", "--", "true"));
        c.add(of("", "exec", "10001", "1", "--", "true"));
        c.add(of("", "exec", "10001", "0", "--", "true"));
        c.add(of("", "exec", "--timeout", "abc", "10001", "1", "--", "true"));
        c.add(of("", "exec", "--timeout", "-1", "10001", "1", "--", "true"));
        c.add(of("", "exec", "--timeout", "0", "10001", "1", "--", "true"));
        c.add(of("", "exec", "--timeout", "1e99", "10001", "1", "--", "true"));
        c.add(of("", "exec", "--timeout", "", "10001", "1", "--", "true"));
        c.add(of("", "console"));
        c.add(of("", "console", "10001"));
        c.add(of("", "console", "10001", "1"));
        c.add(of("", "console", "abc", "1"));
        c.add(of("", "console", "10001", "abc"));
        c.add(of("", "console", "10001", "1", "2"));
        // fetch: bad URLs, schemes, ports, a missing -o folder (against a real loopback server).
        c.add(of("", "fetch"));
        c.add(of("", "fetch", "a", "b"));
        c.add(of("", "fetch", "http://127.0.0.1:1/x"));
        c.add(of("", "fetch", "ftp://127.0.0.1/x"));
        c.add(of("", "fetch", "http://127.0.0.1:70000/x"));
        c.add(of("", "fetch", "http://"));
        c.add(of("", "fetch", "://bad"));
        c.add(of("", "fetch", "--mirror", "ftp://127.0.0.1/", "root_fs.ssi.bz2"));
        c.add(of("", "fetch", "--mirror", "notaurl", "root_fs.ssi.bz2"));
        c.add(of("", "fetch", "--mirror", "http://127.0.0.1:1/", "root_fs.ssi.bz2"));
        c.add(of("", "fetch", "--mirror", URL + "/", "nosuchfile"));
        c.add(of("", "fetch", URL + "/nosuchfile"));
        c.add(of("", "fetch", "--check", "http://127.0.0.1:1/x"));
        // extract.
        c.add(of("", "extract"));
        c.add(of("", "extract", "a", "b"));
        c.add(of("", "extract", FX + "/missing.bz2"));
        c.add(of("", "extract", FX + "/empty"));
        c.add(of("", "extract", FX + "/notes.txt"));
        c.add(of("", "extract", FX + "/garbage.bz2"));
        c.add(of("", "extract", FX + "/trunc.bz2"));
        c.add(of("", "extract", "--max-size", "abc", FX + "/trunc.bz2"));
        c.add(of("", "extract", "--max-size", "-5", FX + "/trunc.bz2"));
        // lint, test, play.
        c.add(of("", "lint", "--frobnicate"));
        c.add(of("", "lint", FX + "/missing"));
        c.add(of("", "lint", FX + "/file.md"));
        c.add(of("", "lint", FX + "/empty"));
        c.add(of("", "lint", "a", "b"));
        c.add(of("", "lint", "--backend", "xen"));
        c.add(of("", "test", "--course", FX + "/missing"));
        c.add(of("", "test", "--course", FX + "/file.md"));
        c.add(of("", "test", "--course", FX + "/empty"));
        c.add(of("", "test", "nosuchlesson"));
        c.add(of("", "test", "--backend", "xen"));
        c.add(of("", "play"));
        c.add(of("", "play", "nosuchlesson"));
        c.add(of("", "play", "--course", FX + "/missing", "--all"));
        c.add(of("", "play", "--course", FX + "/file.md", "--all"));
        c.add(of("", "play", "--course", FX + "/empty", "--all"));
        c.add(of("", "play", "--pace", "abc", "--all"));
        c.add(of("", "play", "--pace", "-1", "--all"));
        c.add(of("", "play", "--backend", "xen", "--all"));
        // kernel, criu, rootfs, mirror, artifacts, doctor.
        c.add(of("", "kernel", "frob"));
        c.add(of("", "kernel", "status", "--frob"));
        c.add(of("", "kernel", "install", "extra"));
        c.add(of("", "kernel", "source", "extra"));
        c.add(of("", "criu"));
        c.add(of("", "criu", "frob"));
        c.add(of("", "criu", "status", "--frob"));
        c.add(of("", "criu", "install", "extra"));
        c.add(of("", "rootfs", "frob"));
        c.add(of("", "rootfs", "build", "-o", FX + "/no-such-folder-2/root_fs"));
        c.add(of("", "rootfs", "build", "--from", FX + "/missing", "-o", "out_fs"));
        c.add(of("", "rootfs", "build", "--from", FX + "/empty", "-o", "out_fs"));
        c.add(of("", "rootfs", "base", "-o", FX));
        c.add(of("", "rootfs", "tools", "-o", FX));
        c.add(of("", "rootfs", "base", "extra"));
        c.add(of("", "mirror", "frob"));
        c.add(of("", "mirror", "serve", "--port", "70000"));
        c.add(of("", "mirror", "serve", "--port", "abc"));
        c.add(of("", "mirror", "serve", "--dir", FX + "/missing", "--port", "0"));
        c.add(of("", "mirror", "serve", "--dir", FX + "/notes.txt", "--port", "0"));
        c.add(of("", "artifacts", "frob"));
        c.add(of("", "artifacts", "build", "--root", FX + "/missing"));
        c.add(of("", "doctor", "extra"));
        return c.stream();
    }

    /**
     * Cases the suite found wrong, now fixed; the comments keep what each printed before, which is what
     * this test guards against.
     */
    static Stream<Arguments> onceWrong() {
        return Stream.of(
                // Exits 0: "Saved FX/no-such-folder-1/out (10 bytes, sha256 5aa03f96c7753657... verified) from
                // http://127.0.0.1:PORT/data.bin": the missing -o folder is created, where 'rootfs build -o'
                // refuses one ("folder ... does not exist"); a mistyped folder name goes unnoticed.
                of("", "fetch", "-o", FX + "/no-such-folder-1/out", URL + "/data.bin"),
                // Prints "ssilab: cannot fetch x from http://127.0.0.1:-1/ (connection refused by null:80: ...)":
                // the port -1 is not refused as a bad URL, and the message names a host "null" on port 80.
                of("", "fetch", "http://127.0.0.1:-1/x"),
                // Exits 0 and prints nothing: a -C folder that does not exist is not refused.
                of("", "kernel", "progress", "-C", FX + "/missing"),
                // Exits 1 with nothing on stderr: its verdict ("NOT OK: kernel not found or not executable")
                // goes to stdout only, after making a probe image.
                of("", "doctor", "-k", FX + "/missing"),
                // With a served folder, the port is checked after the MANIFEST: "nothing to serve: ... has no
                // MANIFEST" instead of naming port 70000 (one line, but not about the bad value).
                of("", "mirror", "serve", "--dir", FX + "/empty", "--port", "70000"));
    }

    private static Arguments of(String stdin, String... args) {
        return Arguments.of(String.join(" ", args).isEmpty() ? "(none)" : String.join(" ", args), args, stdin);
    }

    @BeforeAll
    static void runAll() throws Exception {
        fx = Files.createDirectories(tmp.resolve("fx"));
        Files.createDirectories(fx.resolve("empty"));
        Files.writeString(fx.resolve("notes.txt"), "hello\n");
        Files.writeString(fx.resolve("file.md"), "---\nid: a\ntitle: A\n---\n");
        byte[] junk = new byte[3000];
        new java.util.Random(12).nextBytes(junk);
        Files.write(fx.resolve("garbage.bz2"), junk);
        Files.writeString(fx.resolve("trunc.bz2"), "BZh91AY&SYjunk");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "some data\n".getBytes(StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/data.bin")) {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else if (path.equals("/MANIFEST")) {
                byte[] manifest = (sha256(body) + "  " + body.length + "  data.bin\n").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, manifest.length);
                exchange.getResponseBody().write(manifest);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();

        // Only the cases expected to pass run here; a known-wrong one runs in its own test once enabled.
        List<Arguments> all = cases().toList();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> runs = new ArrayList<>();
            int n = 0;
            for (Arguments a : all) {
                String name = (String) a.get()[0];
                String[] args = (String[]) a.get()[1];
                String stdin = (String) a.get()[2];
                Path root = Files.createDirectories(tmp.resolve("case" + n++));
                runs.add(pool.submit(() -> {
                    outcomes.put(name, runCase(root, fx, url, args, stdin));
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome runCase(Path root, Path fx, String url, String[] args, String stdin) throws Exception {
        String[] real = Stream.of(args).map(s -> s.replace(FX, fx.toString()).replace(URL, url)).toArray(String[]::new);
        // A root image where ssi-start looks, so its checks of the other options are reached; and saved
        // progress, so "the state is unchanged" is about a real file.
        Files.writeString(root.resolve("root_fs"), "not a real image\n");
        Path state = Files.createDirectories(root.resolve("state/ssilab"));
        Files.writeString(state.resolve("progress.properties"), "version=1\nlesson=overview\nstep=1\ndone=introduction\\#0\n");
        TreeMap<String, String> before = FaultKit.snapshot(root.resolve("state"));
        try {
            SsilabProcess.Result r = FaultKit.ssilab(root).run(stdin, real);
            TreeMap<String, String> after = FaultKit.snapshot(root.resolve("state"));
            List<Long> managers = FaultKit.managersOf(root);
            SsilabProcess.Result ls = args.length > 0 && args[0].equals("cluster") ? FaultKit.ssilab(root).run("", "cluster", "ls") : null;
            return new Outcome(r, before, after, managers, ls);
        } finally {
            FaultKit.killManagersOf(root);
        }
    }

    private static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @ParameterizedTest(name = "ssilab {0}")
    @MethodSource("cases")
    void isRefusedInOneLineLeavingStateAsItWas(String name, String[] args, String stdin) {
        check(name);
    }

    @ParameterizedTest(name = "ssilab {0}")
    @MethodSource("onceWrong")
    void onceWrongCases(String name, String[] args, String stdin) throws Exception {
        outcomes.put(name, runCase(Files.createTempDirectory(tmp, "known"), fx, url, args, stdin));
        check(name);
    }

    private static void check(String name) {
        Outcome o = outcomes.get(name);
        assertNotNull(o, "case was run: " + name);
        SsilabProcess.Result r = o.result();
        String all = "exit " + r.exit() + "\nstdout: " + r.out() + "\nstderr: " + r.err();
        assertNotEquals(0, r.exit(), "a non-zero exit status: " + all);
        List<String> lines = r.err().lines().toList();
        assertTrue(!lines.isEmpty(), "a line on stderr: " + all);
        if (r.exit() != 2) {
            assertEquals(1, lines.size(), "exactly one line on stderr: " + all);
        }
        assertTrue(lines.get(0).startsWith("ssilab: ") && lines.get(0).length() > "ssilab: ".length() + 10, "a sentence from ssilab: " + all);
        assertTrue(!lines.get(0).contains("null"), "no 'null' standing for a missing value: " + all);
        FaultKit.noJavaText(name, r.out() + r.err());
        assertEquals(o.before(), o.after(), "the state folder is unchanged: " + all);
        assertEquals(List.of(), o.managers(), "no cluster manager left running: " + all);
        if (o.ls() != null) {
            assertEquals(0, o.ls().exit(), o.ls().err());
            assertEquals("No clusters have been found.", o.ls().out().strip(), "ssi-ls still lists none");
        }
    }
}
