package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workshop, as separate processes: the instructor builds the artifacts and runs
 * {@code ssilab mirror serve}; a learner in another terminal runs {@code ssilab fetch} and
 * {@code ssilab extract}.
 */
class WorkshopFlowTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {}

    private ProcessBuilder cli(Path cwd, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.ssilab.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("XDG_STATE_HOME", tmp.resolve("state").toString());
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        pb.environment().put("XDG_DATA_HOME", tmp.resolve("data").toString());
        pb.environment().remove("SSILAB_MIRROR");
        return pb;
    }

    private Run run(Path cwd, String... args) throws Exception {
        Process p = cli(cwd, args).start();
        try {
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ssilab " + String.join(" ", args) + " did not finish");
            return new Run(p.exitValue(), out, err.get(10, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void instructorServesLearnerFetchesAndExtracts() throws Exception {
        byte[] image = new byte[3 << 20];
        new Random(5).nextBytes(image);
        for (int i = 0; i < image.length; i += 4096) {
            java.util.Arrays.fill(image, i, Math.min(image.length, i + 2048), (byte) 0); // half empty, like a disk
        }
        Path instructor = Files.createDirectories(tmp.resolve("instructor"));
        Files.write(instructor.resolve("root_fs"), image);
        Run build = run(instructor, "artifacts", "build", "--root", "root_fs", "--dir", "artifacts");
        assertEquals(0, build.exit(), build.err());
        assertTrue(build.out().contains("root_fs.ssi.bz2"), build.out());

        Process server = cli(instructor, "mirror", "serve", "--port", "0", "--dir", "artifacts").redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return lines.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("^Serving .* at (http://127\\.0\\.0\\.1:\\d+/) \\(Ctrl-C to stop\\)$").matcher(String.valueOf(first));
            assertTrue(m.matches(), "first line: " + first);
            String url = m.group(1);

            Path learner = Files.createDirectories(tmp.resolve("learner"));
            Run fetch = run(learner, "fetch", "root_fs.ssi.bz2", "--mirror", url);
            assertEquals(0, fetch.exit(), fetch.err());
            assertTrue(fetch.out().startsWith("Saved " + learner.resolve("root_fs.ssi.bz2")), fetch.out());
            assertEquals("", fetch.err(), "quiet in a pipe: no progress bar");

            Run check = run(learner, "fetch", "--check", "root_fs.ssi.bz2", "--mirror", url);
            assertEquals(0, check.exit(), check.err());
            assertTrue(check.out().contains("matches the MANIFEST"), check.out());

            Run extract = run(learner, "extract", "root_fs.ssi.bz2", "-o", "root_fs");
            assertEquals(0, extract.exit(), extract.err());
            assertArrayEquals(image, Files.readAllBytes(learner.resolve("root_fs")));

            Run tools = run(learner, "fetch", "uml_utilities_ssilab.tar.bz2", "--mirror", url);
            assertEquals(0, tools.exit(), tools.err());
            Run untar = run(learner, "extract", "uml_utilities_ssilab.tar.bz2");
            assertEquals(0, untar.exit(), untar.err());
            assertTrue(Files.isExecutable(learner.resolve("tools/uml_mconsole")));

            Run missing = run(learner, "fetch", "root_fs.rh72.ssi.bz2", "--mirror", url);
            assertEquals(1, missing.exit());
            assertTrue(missing.err().startsWith("ssilab: cannot fetch root_fs.rh72.ssi.bz2 from " + url), missing.err());
            assertEquals(1, missing.err().lines().count(), missing.err());

            Run again = run(learner, "extract", "uml_utilities_ssilab.tar.bz2");
            assertEquals(0, again.exit(), "the same files again are fine: " + again.err());
            Files.writeString(learner.resolve("tools/uml_mconsole"), "my own edit");
            Run clash = run(learner, "extract", "uml_utilities_ssilab.tar.bz2");
            assertEquals(1, clash.exit());
            assertTrue(clash.err().contains("it would overwrite " + learner.resolve("tools/uml_mconsole")), clash.err());
            assertEquals(1, clash.err().lines().count(), clash.err());
            assertEquals("my own edit", Files.readString(learner.resolve("tools/uml_mconsole")));

            Run unlisted = run(learner, "fetch", url + "MANIFEST"); // no MANIFEST lists the MANIFEST itself
            assertEquals(1, unlisted.exit());
            assertTrue(unlisted.err().contains("no MANIFEST beside it lists MANIFEST") && unlisted.err().contains("--no-check"),
                    unlisted.err());
            assertEquals(1, unlisted.err().lines().count(), unlisted.err());
            assertFalse(Files.exists(learner.resolve("MANIFEST")));
            Run unchecked = run(learner, "fetch", "--no-check", url + "MANIFEST");
            assertEquals(0, unchecked.exit(), unchecked.err());
            assertTrue(unchecked.out().contains("UNCHECKED"), unchecked.out());
        } finally {
            new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start().waitFor(10, TimeUnit.SECONDS);
            boolean stopped = server.waitFor(20, TimeUnit.SECONDS);
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
            assertTrue(stopped, "mirror serve stops on Ctrl-C");
        }
    }

    @Test
    void badInputsAreOneLineAndChangeNothing() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        Run noMirror = run(cwd, "fetch", "root_fs.ssi.bz2");
        assertEquals(1, noMirror.exit());
        assertTrue(noMirror.err().startsWith("ssilab: no mirror configured to fetch root_fs.ssi.bz2"), noMirror.err());
        Run badMirror = run(cwd, "fetch", "x", "--mirror", "ftp://nowhere");
        assertTrue(badMirror.err().startsWith("ssilab: bad mirror URL 'ftp://nowhere'"), badMirror.err());
        Run noRoot = run(cwd, "artifacts", "build", "--dir", "a", "--root", "no_such_root_fs");
        assertEquals(1, noRoot.exit());
        assertTrue(noRoot.err().contains("root image not found") && noRoot.err().contains("ssilab rootfs build -o root_fs"), noRoot.err());
        Run noArchive = run(cwd, "extract", "nothing.bz2");
        assertEquals(1, noArchive.exit());
        Path fifo = tmp.resolve("pipe.bz2");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Run fromFifo = run(cwd, "extract", fifo.toString());
        assertEquals(1, fromFifo.exit());
        assertTrue(fromFifo.err().contains("it is not a regular file"), fromFifo.err());
        Run badMax = run(cwd, "extract", "nothing.bz2", "--max-size", "lots");
        assertEquals(1, badMax.exit());
        assertTrue(badMax.err().startsWith("ssilab: bad --max-size 'lots'"), badMax.err());
        Run noServe = run(cwd, "mirror", "serve", "--port", "0", "--dir", "empty");
        assertEquals(1, noServe.exit());
        assertTrue(noServe.err().contains("ssilab artifacts build"), noServe.err());
        for (Run r : List.of(noMirror, badMirror, noRoot, noArchive, fromFifo, badMax, noServe)) {
            assertEquals(1, r.err().lines().count(), r.err());
        }
        try (var s = Files.list(cwd)) {
            assertEquals(0, s.count(), "nothing created");
        }
    }

    @Test
    void artifactsBuildWithoutARootMakesOneFromTheRecipe() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("plain"));
        Run build = run(cwd, "artifacts", "build", "--dir", "a");
        assertEquals(0, build.exit(), build.err());
        assertTrue(Files.size(cwd.resolve("a/root_fs.ssi.bz2")) > 0);
        assertTrue(Files.readString(cwd.resolve("a/MANIFEST")).contains("root_fs.ssi.bz2"));
    }
}
