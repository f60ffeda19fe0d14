package dev.ssilab.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C during {@code ssilab extract}, for real: the CLI as a process, SIGINT sent with kill. */
class ExtractInterruptTest {
    @TempDir
    Path tmp;

    @Test
    void sigintDuringExtractionLeavesNoFileUnderTheFinalName() throws Exception {
        // 48 MB of low-entropy text: quick to compress here, about a second or more to decompress.
        byte[] data = new byte[48 << 20];
        Random r = new Random(41);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + r.nextInt(12));
        }
        Path bz = tmp.resolve("big.bz2");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(bz))) {
            new ParallelBzip2Compressor(Runtime.getRuntime().availableProcessors(), 4 << 20)
                    .compress(new ByteArrayInputStream(data), out, Progress.Factory.NONE.start("", -1, 0));
        }
        Path work = Files.createDirectories(tmp.resolve("work"));
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT")); // a background shell may ignore SIGINT
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.ssilab.cli.Main", "extract", bz.toString(),
                "-o", work.resolve("root_fs").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        pb.environment().put("XDG_STATE_HOME", tmp.resolve("state").toString());
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        pb.environment().put("XDG_DATA_HOME", tmp.resolve("data").toString());
        Process p = pb.start();
        try {
            Optional<Path> temp = Optional.empty();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && System.nanoTime() < deadline) {
                temp = partFile(work);
                if (temp.isPresent() && size(temp.get()) > (1 << 20)) {
                    break;
                }
                Thread.sleep(5);
            }
            assertTrue(temp.isPresent() && p.isAlive(), "extraction should be under way when interrupted: "
                    + Files.readString(tmp.resolve("out.txt")));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ssilab extract should stop on SIGINT");
            assertNotEquals(0, p.exitValue());
            assertFalse(Files.exists(work.resolve("root_fs")), "no file under the final name");
            assertEquals(Optional.empty(), partFile(work), "the temp file is gone too");
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Optional<Path> partFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".part")).findFirst();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
