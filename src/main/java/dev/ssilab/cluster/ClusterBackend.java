package dev.ssilab.cluster;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/**
 * The nodes of one running cluster, as hosted by its cluster manager process ({@code ssilab clusterd ID}).
 *
 * <p>Two implementations: {@code cluster.sim} (the embedded OpenSSI simulator) and {@code cluster.uml}
 * (real User-Mode Linux kernels). The manager owns exactly one backend; every client command reaches it
 * through the manager's socket. Methods may be called from several threads at once.
 */
public interface ClusterBackend extends AutoCloseable {

    /** Its provider's name, e.g. {@link BackendName#SIM}'s. */
    String name();

    /**
     * Boots these nodes (each NEVERUP or DOWN) and returns when all are UP.
     *
     * @throws dev.ssilab.state.UserError when a node is already up, out of range, or fails to boot
     */
    void boot(List<Integer> nodes);

    /**
     * Crashes a node without warning (a real kill on uml). Centralized services fail over to the
     * lowest-numbered surviving node; the report says where they went.
     */
    CrashReport crash(int node);

    /** Every node this cluster has known, with its CLMS state, lowest number first. */
    List<NodeStatus> nodes();

    /**
     * Runs one command line on node N in a fresh, non-interactive node shell; output (stdout and stderr
     * merged, as a console shows them) is streamed to {@code out} while it runs.
     *
     * @return the command's exit status; {@link ExecResult#TIMED_OUT} when the timeout killed it
     */
    int exec(int node, String commandLine, Duration timeout, OutputStream out);

    /**
     * As {@link #exec(int, String, Duration, OutputStream)}, with the learner's keys (a raw terminal's
     * bytes) as the command's terminal input, so a program that reads keys (dbdemo) gets them. A
     * backend whose exec has no terminal ignores them.
     */
    default int exec(int node, String commandLine, Duration timeout, InputStream keys, OutputStream out) {
        return exec(node, commandLine, timeout, out);
    }

    /** An interactive shell on node N's console, until {@code in} ends or the learner types exit. */
    void console(int node, InputStream in, OutputStream out);

    /**
     * A console for a client whose terminal is raw (every key sent as pressed, nothing echoed). A
     * backend without a key-level console gets cooked lines from {@link LineDiscipline}, which echoes.
     */
    default void console(int node, InputStream in, OutputStream out, boolean raw) {
        console(node, raw ? new LineDiscipline(in, out) : in, out);
    }

    /**
     * The attached learner's terminal is now {@code rows} by {@code cols}: full-screen programs on
     * node N's console should redraw for it. A backend whose console has no size ignores it.
     */
    default void resizeConsole(int node, int rows, int cols) {
    }

    /**
     * Runs {@code listener} whenever a node ends by itself (its kernel exits or is killed from outside),
     * after its state says DOWN, on a backend thread holding no backend lock: the manager records the
     * new membership, so ssi-ls agrees with exec. A backend whose nodes never end by themselves ignores it.
     */
    default void onNodeExit(Runnable listener) {
    }

    /** Ends every node and frees every resource; the cluster is gone afterwards. */
    @Override
    void close();
}
