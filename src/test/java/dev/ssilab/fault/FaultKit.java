package dev.ssilab.fault;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ssilab.cli.SsilabProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Shared pieces of the fault suite: bounded ssilab runs, state snapshots, and finding a test's own managers. */
final class FaultKit {
    /** No fault may make a command hang: every run is bounded, far below the suite's budget. */
    static final Duration BOUND = Duration.ofSeconds(30);

    private FaultKit() {}

    static SsilabProcess ssilab(Path root) {
        return new SsilabProcess(root).env("SSILAB_BACKEND", "sim").timeout(BOUND);
    }

    /** ssilab in {@code root} after it started sim cluster 10001 with {@code nodes} nodes. */
    static SsilabProcess startedSimCluster(Path root, int nodes) throws IOException, InterruptedException {
        Files.writeString(root.resolve("root_fs"), "sim\n"); // the simulator only needs it to exist
        SsilabProcess ssilab = ssilab(root);
        SsilabProcess.Result start = ssilab.run("", "cluster", "start", Integer.toString(nodes));
        org.junit.jupiter.api.Assertions.assertEquals(List.of("Cluster 10001 has been started with " + nodes + " nodes"),
                start.out().lines().toList(), start.err());
        return ssilab;
    }

    /** Text a learner must never see: it means a Java exception leaked out instead of a sentence. */
    static void noJavaText(String what, String text) {
        for (String leak : List.of("Exception", "at dev.", "java.", "Caused by", "\tat ")) {
            assertFalse(text.contains(leak), what + ": no Java exception text ('" + leak + "') in: " + text);
        }
    }

    /** Every file under {@code dir} with its size and content hash: "unchanged" means this map is equal. */
    static TreeMap<String, String> snapshot(Path dir) throws IOException {
        TreeMap<String, String> files = new TreeMap<>();
        if (!Files.exists(dir)) {
            return files;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String rel = dir.relativize(p).toString();
                if (Files.isRegularFile(p)) {
                    files.put(rel, Files.size(p) + ":" + java.util.Arrays.hashCode(Files.readAllBytes(p)));
                } else {
                    files.put(rel + "/", "dir");
                }
            }
        }
        return files;
    }

    /**
     * The cluster managers ({@code ... Main clusterd ID}) started with this test's XDG state folder: other
     * sessions on the machine run their own, which this suite must neither count nor touch.
     */
    static List<Long> managersOf(Path root) {
        String marker = "XDG_STATE_HOME=" + root.resolve("state");
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (!cmd.contains("\0clusterd\0")) {
                        continue;
                    }
                    String env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
                    if (List.of(env.split("\0")).contains(marker)) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException | SecurityException gone) {
                    // The process ended while we looked, or is not ours to read: not one of this test's.
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids;
    }

    /** Stops every manager this test left (a failing test must not leave them to the machine). */
    static void killManagersOf(Path root) {
        for (long pid : managersOf(root)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Sends a signal the way a terminal or a learner's kill does. */
    static void signal(String sig, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        kill.waitFor();
    }

    private static final java.util.regex.Pattern RANGE = java.util.regex.Pattern.compile("bytes=(\\d+)-");

    /**
     * What the loopback servers of the fault suite answer before big.bin's bytes: GET /MANIFEST (its
     * one line for BODY, when {@code manifest}), 404 for any other path, else big.bin's status and
     * headers, honouring "Range: bytes=N-" (a resume). Returns where big.bin's body starts, or -1 when
     * the answer is complete. {@code knownLength} false sends the body chunked (no Content-Length).
     */
    static int answerHead(com.sun.net.httpserver.HttpExchange ex, byte[] body, boolean manifest, boolean knownLength)
            throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/MANIFEST") && manifest) {
            String sha;
            try {
                sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            byte[] m = (sha + "  " + body.length + "  big.bin\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, m.length);
            ex.getResponseBody().write(m);
            return -1;
        }
        if (!path.equals("/big.bin")) {
            ex.sendResponseHeaders(404, -1);
            return -1;
        }
        int from = 0;
        String range = ex.getRequestHeaders().getFirst("Range");
        java.util.regex.Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches() && Integer.parseInt(m.group(1)) < body.length) {
            from = Integer.parseInt(m.group(1));
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, knownLength ? body.length - from : 0);
        } else {
            ex.sendResponseHeaders(200, knownLength ? body.length : 0);
        }
        return from;
    }
}
