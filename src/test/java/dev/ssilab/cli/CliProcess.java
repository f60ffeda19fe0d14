package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ssilab.cluster.ClusterInfo;
import dev.ssilab.cluster.Clusters;
import dev.ssilab.state.SsilabPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs ssilab as a real process ({@code java -cp <test class path> dev.ssilab.cli.Main ...}) with its
 * own XDG folders and a working folder holding a root_fs, and cleans up every cluster it started.
 */
final class CliProcess {
    /** What a finished command left. */
    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    final Path work;
    final Map<String, String> env = new HashMap<>();
    private final Path logs;
    private int runs;

    CliProcess(Path temp) {
        this(temp, temp.resolve("xdg"));
    }

    CliProcess(Path temp, Path xdg) {
        try {
            this.work = Files.createDirectories(temp.resolve("work"));
            this.logs = Files.createDirectories(temp.resolve("logs"));
            Files.writeString(work.resolve("root_fs"), "test root image\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("XDG_STATE_HOME", xdg.resolve("state").toString());
        env.put("XDG_CACHE_HOME", xdg.resolve("cache").toString());
        env.put("XDG_DATA_HOME", xdg.resolve("data").toString());
        env.put("XDG_CONFIG_HOME", xdg.resolve("config").toString());
    }

    SsilabPaths paths() {
        return SsilabPaths.fromEnvironment(env);
    }

    Path clustersDir() {
        return paths().clusters();
    }

    Result run(String... args) {
        return runWithInput(null, args);
    }

    Result runWithInput(String stdin, String... args) {
        Running r = start(stdin, args);
        try {
            if (!r.process().waitFor(90, TimeUnit.SECONDS)) {
                r.process().destroyForcibly();
                fail("ssilab " + String.join(" ", args) + " did not finish within 90 s");
            }
            return result(r);
        } catch (InterruptedException e) {
            r.process().destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A started ssilab process and the number of its output files. */
    record Running(Process process, int n) {}

    /** Starts ssilab without waiting; {@link #result} collects it once it has exited. */
    Running start(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.ssilab.cli.Main");
        command.addAll(List.of(args));
        int n;
        synchronized (this) {
            n = ++runs;
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(logs.resolve(n + ".out").toFile())
                .redirectError(logs.resolve(n + ".err").toFile());
        pb.environment().remove("SSILAB_PROG");
        pb.environment().remove("SSILAB_BACKEND");
        // Never open console windows in the developer's own tmux or X session.
        pb.environment().remove("TMUX");
        pb.environment().remove("DISPLAY");
        pb.environment().putAll(env);
        try {
            Path in = logs.resolve(n + ".in");
            Files.writeString(in, stdin == null ? "" : stdin);
            pb.redirectInput(in.toFile());
            return new Running(pb.start(), n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result of a process started by {@link #start}, which must have exited. */
    Result result(Running r) {
        try {
            return new Result(r.process().exitValue(),
                    Files.readString(logs.resolve(r.n() + ".out"), StandardCharsets.UTF_8),
                    Files.readString(logs.resolve(r.n() + ".err"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every cluster of these XDG folders and kills any manager that is left. */
    void cleanUp() {
        Clusters clusters = new Clusters(paths());
        for (ClusterInfo c : clusters.list()) {
            try {
                clusters.stop(c.id());
            } catch (RuntimeException e) {
                // killed below
            }
        }
        killManagers();
    }

    /** The manager pids recorded in the registry (test use: to kill one, or to make sure none is left). */
    List<Long> managerPids() {
        List<Long> pids = new ArrayList<>();
        if (!Files.isDirectory(clustersDir())) {
            return pids;
        }
        try (Stream<Path> states = Files.find(clustersDir(), 2, (p, a) -> p.getFileName().toString().equals("state.properties"))) {
            for (Path state : states.toList()) {
                for (String line : Files.readAllLines(state)) {
                    if (line.startsWith("pid=")) {
                        pids.add(Long.parseLong(line.substring(4).trim()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    private void killManagers() {
        for (long pid : managerPids()) {
            if (pid != ProcessHandle.current().pid()) {
                ProcessHandle.of(pid).ifPresent(h -> {
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                });
            }
        }
    }
}
