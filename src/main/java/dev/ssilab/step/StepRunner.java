package dev.ssilab.step;

import dev.ssilab.cluster.ExecResult;
import dev.ssilab.course.Block;
import dev.ssilab.course.Role;
import dev.ssilab.course.Step;
import dev.ssilab.course.Target;
import java.io.ByteArrayOutputStream;
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

    public StepRunner(HostShell host, NodeExecutor nodes, Cancellation cancellation) {
        this.host = host;
        this.nodes = nodes;
        this.cancellation = cancellation;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    /** Runs blocks in order and stops at the first that fails; returns the last result. */
    public ExecResult runBlocks(List<Block> blocks, Map<String, String> env, OutputStream live, BlockListener listener) {
        ExecResult last = new ExecResult(0, "");
        for (Block b : blocks) {
            listener.starting(b);
            last = runBlock(b, env, live);
            listener.finished(b, last);
            if (last.exitCode() != 0) {
                break;
            }
        }
        return last;
    }

    public ExecResult runBlock(Block b, Map<String, String> env, OutputStream live) {
        Duration timeout = b.timeout() != null ? b.timeout() : defaultTimeout(b.role());
        if (b.target() instanceof Target.Node n) {
            return runOnNode(n.number(), b.code(), timeout, live);
        }
        boolean stopOnError = b.role() != Role.CHECK;
        return host.run(b.code(), stopOnError, env, timeout, live, cancellation);
    }

    /** Runs a command line typed by the learner on a step's target. */
    public ExecResult runTyped(String line, Target target, Map<String, String> env, OutputStream live) {
        if (target instanceof Target.Node n) {
            return nodes.exec(n.number(), line, DEFAULT_RUN_TIMEOUT, live);
        }
        return host.run(line, false, env, DEFAULT_RUN_TIMEOUT, live, cancellation);
    }

    /** Runs every check block quietly; the step passes when all exit 0. */
    public CheckResult check(Step step, Map<String, String> env) {
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

    private ExecResult runOnNode(int node, String script, Duration timeout, OutputStream live) {
        ExecResult last = new ExecResult(0, "");
        StringBuilder all = new StringBuilder();
        for (String line : script.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            last = nodes.exec(node, line, timeout, live);
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
