package dev.ssilab.step;

import dev.ssilab.cluster.ExecResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a block's script with bash on the learner's machine: in the course's workdir, with the course
 * variables in the environment, ssilab's bin/ first on the PATH, output streamed live, and a timeout.
 */
public final class HostShell {
    /** Output kept for the result (checks' FAIL: lines); the live stream still gets everything. */
    private static final int KEEP_BYTES = 1 << 20;
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Path workdir;
    private final Map<String, String> environment;
    private final boolean inheritStdin;

    /**
     * @param inheritStdin true only when stdin is the learner's terminal; a piped stdin holds the
     *     tutor's own commands, which a child must not eat
     */
    public HostShell(Path workdir, Map<String, String> environment, boolean inheritStdin) {
        this.workdir = workdir;
        this.environment = Map.copyOf(environment);
        this.inheritStdin = inheritStdin;
    }

    public ExecResult run(String script, boolean stopOnError, Map<String, String> extraEnv, Duration timeout,
                          OutputStream live, Cancellation cancel) {
        List<String> cmd = new java.util.ArrayList<>();
        // Without the learner's terminal, the block gets a session (and process group) of its own, so
        // what it leaves running in the background (sleep 100 &) is ended with it. A cluster manager
        // that ssi-start detaches has its own session and is not touched. With the learner's terminal
        // the block stays in the tutor's session: a new one would have no controlling terminal.
        boolean ownGroup = !inheritStdin && Files.isExecutable(SETSID);
        if (ownGroup) {
            cmd.add(SETSID.toString());
        }
        cmd.addAll(stopOnError ? List.of("bash", "-e", "-c", script) : List.of("bash", "-c", script));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workdir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        pb.environment().putAll(extraEnv);
        prependPath(pb.environment());
        if (inheritStdin) {
            // output goes through a pipe to the learner's terminal: progress bars are still wanted
            pb.environment().put("SSILAB_PROGRESS", "1");
        }
        pb.redirectInput(inheritStdin ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start bash: " + e.getMessage(), e);
        }
        cancel.started(p);
        // setsid execs bash in place (a child of the JVM leads no group), so the group is the bash's pid.
        long group = ownGroup ? p.pid() : 0;
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> copy(p.getInputStream(), live, kept), "host-shell-output");
        pump.setDaemon(true);
        pump.start();
        try {
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                ProcessTrees.destroy(p);
            }
            if (group > 0) {
                ProcessTrees.destroyGroup(group); // background children hold the output pipe open too
            }
            pump.join(2000);
            String out = kept.toString(StandardCharsets.UTF_8);
            if (!done) {
                return new ExecResult(ExecResult.TIMED_OUT, out);
            }
            if (cancel.wasCancelled()) {
                return new ExecResult(130, out);
            }
            return new ExecResult(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessTrees.destroy(p);
            return new ExecResult(130, kept.toString(StandardCharsets.UTF_8));
        } finally {
            cancel.finished(p);
            if (p.isAlive()) {
                ProcessTrees.destroy(p);
            }
            if (group > 0) {
                ProcessTrees.destroyGroup(group);
            }
        }
    }

    /** ssilab's bin/ goes first so the HOWTO's commands (ssi-start, ...) are found as the HOWTO types them. */
    private void prependPath(Map<String, String> env) {
        String home = environment.get("SSILAB_HOME");
        if (home != null) {
            String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
            env.put("PATH", Path.of(home, "bin") + ":" + path);
        }
    }

    private static void copy(InputStream in, OutputStream live, ByteArrayOutputStream kept) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (kept) {
                    if (kept.size() < KEEP_BYTES) {
                        kept.write(buf, 0, Math.min(n, KEEP_BYTES - kept.size()));
                    }
                }
                live.write(buf, 0, n);
                live.flush();
            }
        } catch (IOException e) {
            // the process ended or the live stream closed: the result still has what was kept
        }
    }
}
