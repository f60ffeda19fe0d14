package dev.ssilab.step;

import dev.ssilab.cluster.ExecResult;
import dev.ssilab.course.Block;
import dev.ssilab.course.Role;
import dev.ssilab.course.Step;
import dev.ssilab.course.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Executes a step's blocks on their targets (host shell or cluster node) and judges its checks.
 *
 * <p>Host blocks run as one bash script. Node blocks run line by line through the cluster, because a
 * node shell takes one command line at a time; the first failing line ends the block.
 */
public final class StepRunner {
    static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofMinutes(5);
    static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final HostShell host;
    private final NodeExecutor nodes;
    private final Cancellation cancellation;
    private volatile Keyboard keyboard;

    public StepRunner(HostShell host, NodeExecutor nodes, Cancellation cancellation) {
        this.host = host;
        this.nodes = nodes;
        this.cancellation = cancellation;
    }

    /**
     * The learner's keyboard, for the commands the learner runs on nodes (typed lines and run blocks);
     * null (the default) where there is none: tests, auto-play, a tutor reading a pipe.
     */
    public void keyboard(Keyboard keyboard) {
        this.keyboard = keyboard;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    /** Runs blocks in order and stops at the first that fails; returns the last result. */
    ExecResult runBlocks(List<Block> blocks, Map<String, String> env, OutputStream live, BlockListener listener) {
        ExecResult last = new ExecResult(0, "");
        for (Block b : blocks) {
            listener.starting(b);
            last = runBlock(b, env, live);
            listener.finished(b);
            if (last.exitCode() != 0) {
                break;
            }
        }
        return last;
    }

    ExecResult runBlock(Block b, Map<String, String> env, OutputStream live) {
        Duration timeout = b.timeout() != null ? b.timeout() : defaultTimeout(b.role());
        if (b.target() instanceof Target.Node n) {
            return runOnNode(n.number(), b.code(), timeout, live, b.role() == Role.RUN);
        }
        boolean stopOnError = b.role() != Role.CHECK;
        return host.run(b.code(), stopOnError, env, timeout, live, cancellation);
    }

    /**
     * Runs a command line typed by the learner on a step's target, in the folder of the learner's
     * last typed {@code cd} there ({@code dirs}, updated when the line changes it).
     */
    ExecResult runTyped(String line, Step step, Target target, Map<String, String> env, OutputStream live, ShellDirs dirs) {
        String dir = dirs.get(target);
        // A typed line may be the step's own long command (a kernel build): it gets the run blocks' time.
        Duration timeout = step.blocks(Role.RUN).stream().map(b -> b.timeout() == null ? DEFAULT_RUN_TIMEOUT : b.timeout())
                .max(Duration::compareTo).orElse(DEFAULT_RUN_TIMEOUT);
        if (target instanceof Target.Node n) {
            return runTypedOnNode(n.number(), line, dir, live, dirs, target, timeout);
        }
        Path cwdFile;
        try {
            cwdFile = Files.createTempFile("ssilab-cwd", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // The EXIT trap records where the line left the shell, even when it ends with exit.
            String script = "trap 'pwd >\"$SSILAB_TYPED_CWD_FILE\"' EXIT\n"
                    + (dir == null ? "" : "cd -- " + quote(dir) + " 2>/dev/null || echo \"ssilab: $(printf %q " + quote(dir)
                    + ") is gone; you are back in the workdir\" >&2\n")
                    + line + "\n";
            Map<String, String> withFile = new java.util.LinkedHashMap<>(env);
            withFile.put("SSILAB_TYPED_CWD_FILE", cwdFile.toString());
            ExecResult r = host.run(script, false, withFile, timeout, live, cancellation);
            String now = Files.readString(cwdFile).strip();
            if (!now.isEmpty()) {
                dirs.set(target, now);
            }
            return r;
        } catch (IOException e) {
            return new ExecResult(1, e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(cwdFile);
            } catch (IOException ignored) {
                // a temp file left in /tmp is harmless
            }
        }
    }

    /**
     * A node shell takes one line at a time and forgets its folder between lines, so the folder is
     * carried here: a line that is just {@code cd DIR} is resolved on the node (and fails there as cd
     * would); any other line runs after a cd to the carried folder.
     */
    private ExecResult runTypedOnNode(int node, String line, String dir, OutputStream live, ShellDirs dirs, Target target, Duration timeout) {
        String prefix = dir == null ? "" : "cd " + quote(dir) + " && ";
        java.util.regex.Matcher cd = CD_ONLY.matcher(line.strip());
        if (cd.matches()) {
            String arg = cd.group(1) == null ? "" : " " + cd.group(1);
            ByteArrayOutputStream where = new ByteArrayOutputStream();
            ExecResult r = onNode(node, prefix + "cd" + arg + " && pwd", DEFAULT_RUN_TIMEOUT, where, false);
            String out = where.toString(java.nio.charset.StandardCharsets.UTF_8);
            if (r.exitCode() == 0) {
                dirs.set(target, out.strip());
                return new ExecResult(0, "");
            }
            try {
                live.write(where.toByteArray());
                live.flush();
            } catch (IOException ignored) {
                // the learner's screen is gone
            }
            return r;
        }
        return onNode(node, prefix + line, timeout, live, true);
    }

    /** One line on a node, cancellable by Ctrl-C, with the learner's keys when asked and there are any. */
    private ExecResult onNode(int node, String line, Duration timeout, OutputStream live, boolean learnersKeys) {
        Keyboard k = learnersKeys ? keyboard : null;
        Thread self = Thread.currentThread();
        cancellation.startedOnNode(self);
        try {
            ExecResult r = k == null ? nodes.exec(node, line, timeout, live)
                    : k.lend(keys -> nodes.exec(node, line, timeout, keys, live));
            return cancellation.wasCancelled() ? new ExecResult(130, r.output()) : r;
        } finally {
            cancellation.finishedOnNode(self);
        }
    }

    private static final java.util.regex.Pattern CD_ONLY = java.util.regex.Pattern.compile("cd(?:\\s+(\\S+))?");

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Runs every check block quietly; the step passes when all exit 0. */
    CheckResult check(Step step, Map<String, String> env) {
        List<String> fails = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        int exit = 0;
        for (Block b : step.blocks(Role.CHECK)) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            ExecResult r = runBlock(b, env, sink);
            output.append(r.output());
            r.output().lines().map(String::strip).filter(l -> l.startsWith("FAIL:"))
                    .map(l -> l.substring(5).strip()).forEach(fails::add);
            if (r.exitCode() != 0) {
                exit = r.exitCode();
                break;
            }
        }
        return new CheckResult(exit == 0, exit, fails, output.toString());
    }

    private ExecResult runOnNode(int node, String script, Duration timeout, OutputStream live, boolean learnersKeys) {
        ExecResult last = new ExecResult(0, "");
        StringBuilder all = new StringBuilder();
        for (String line : script.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            last = onNode(node, line, timeout, live, learnersKeys);
            all.append(last.output());
            if (last.exitCode() != 0) {
                break;
            }
        }
        return new ExecResult(last.exitCode(), all.toString());
    }

    static Duration defaultTimeout(Role role) {
        return role == Role.RUN || role == Role.SOLVE ? DEFAULT_RUN_TIMEOUT : DEFAULT_CHECK_TIMEOUT;
    }
}
