package dev.ssilab.cluster.uml;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one host program with a timeout and always destroys it, whatever happens. */
final class HostCommand {
    private HostCommand() {}

    /** A finished program: its exit status and its merged output. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code argv} in {@code dir} (null: inherit), capturing stdout and stderr together. */
    static Result run(List<String> argv, Path dir, long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = start(pb, argv);
        try {
            // Read on another thread so a chatty program cannot block on a full pipe past its timeout.
            StringBuilder out = new StringBuilder();
            Thread collector = new Thread(() -> {
                try (InputStream in = p.getInputStream()) {
                    out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the process was destroyed: keep what was read
                }
            });
            collector.setDaemon(true);
            collector.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new UserError(argv.get(0) + " did not finish within " + timeoutSeconds + " s: " + String.join(" ", argv));
            }
            collector.join(5000);
            return new Result(p.exitValue(), out.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while running " + argv.get(0));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** Runs {@code argv} with its output appended to {@code log}; returns the exit status. */
    static int runLogged(List<String> argv, Path dir, Path log, long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = start(pb, argv);
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new UserError(argv.get(0) + " did not finish within " + timeoutSeconds + " s (log: " + log + ")");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while running " + argv.get(0));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    static Process start(ProcessBuilder pb, List<String> argv) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UserError("cannot run " + argv.get(0) + ": " + e.getMessage()
                    + " (is it installed and on PATH?)");
        }
    }

    /**
     * A system program by name: itself when it is on PATH, else its path in /usr/sbin or /sbin (where
     * e2fsprogs lives, outside a normal user's PATH on Debian), else the bare name.
     */
    static String program(String name) {
        if (onPath(name)) {
            return name;
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            if (java.nio.file.Files.isExecutable(Path.of(dir, name))) {
                return dir + "/" + name;
            }
        }
        return name;
    }

    /** Whether a program is found on PATH. */
    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
