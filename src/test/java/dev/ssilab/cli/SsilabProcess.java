package dev.ssilab.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs ssilab as a real process, as a learner's shell would: its own JVM, piped stdin, its own XDG
 * folders under a test's temp dir.
 */
public final class SsilabProcess {
    /** The project folder (lessons/, content/, bin/), passed by surefire. */
    public static final Path HOME = Path.of(System.getProperty("ssilab.home", "")).toAbsolutePath();

    private final Path root;
    private final Map<String, String> extraEnv = new java.util.HashMap<>();
    private java.time.Duration timeout = java.time.Duration.ofSeconds(120);

    public SsilabProcess(Path root) {
        this.root = root;
    }

    public SsilabProcess env(String key, String value) {
        extraEnv.put(key, value);
        return this;
    }

    /** How long {@link #run} waits for the process (default 120 s). */
    public SsilabProcess timeout(java.time.Duration limit) {
        this.timeout = limit;
        return this;
    }

    public record Result(int exit, String out, String err) {}

    /** The command line that starts ssilab in a fresh JVM with the test classpath. */
    public static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), "dev.ssilab.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The environment every test process gets: XDG folders inside the test's temp dir. */
    public Map<String, String> environment() {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("XDG_STATE_HOME", root.resolve("state").toString());
        env.put("XDG_DATA_HOME", root.resolve("data").toString());
        env.put("XDG_CACHE_HOME", root.resolve("cache").toString());
        env.put("XDG_CONFIG_HOME", root.resolve("config").toString());
        env.put("SSILAB_HOME", HOME.toString());
        env.putAll(extraEnv);
        return env;
    }

    public Result run(String stdin, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(root.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SSILAB_") || k.equals("NO_COLOR") || k.equals("TMUX") || k.equals("DISPLAY"));
        pb.environment().putAll(environment());
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("ssilab " + String.join(" ", args) + " did not end within " + timeout.toSeconds() + " s");
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
