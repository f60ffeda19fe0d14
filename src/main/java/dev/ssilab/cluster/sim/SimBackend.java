package dev.ssilab.cluster.sim;

import dev.ssilab.cluster.BackendName;
import dev.ssilab.cluster.BackendProvider;
import dev.ssilab.cluster.ClusterBackend;
import dev.ssilab.cluster.CrashReport;
import dev.ssilab.cluster.NodeStatus;
import dev.ssilab.cluster.sim.commands.CommandRegistry;
import dev.ssilab.cluster.sim.model.ConsoleInput;
import dev.ssilab.cluster.sim.model.NodeConsole;
import dev.ssilab.cluster.sim.model.RootImage;
import dev.ssilab.cluster.sim.model.SimCluster;
import dev.ssilab.cluster.sim.model.SimProcess;
import dev.ssilab.cluster.sim.model.SimTiming;
import dev.ssilab.cluster.sim.model.Sink;
import dev.ssilab.cluster.sim.shell.NodeShell;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded OpenSSI cluster simulator: an in-memory, real-time model of one SSI cluster
 * (docs/SSI.md) behind {@link ClusterBackend}. It models semantics; it runs no learner binaries,
 * and a command it does not model prints {@code ssilab sim: COMMAND is not modelled by the simulator}
 * and exits 127.
 *
 * <p>Output formats (ours where OpenSSI's is not known; keep them stable, lessons and checks rely on them):
 * <ul>
 * <li>{@code cluster}: one line per known node, {@code N: STATE} (e.g. {@code 2: UP}).
 * <li>{@code cluster -v}: {@code CLMS master: node M}, {@code transition id: T}, then {@code N: STATE}
 *     followed, from column 15, by the node's services, comma separated, from
 *     {@code CLMS master, root, init, keepalive}.
 * <li>{@code clusternode_num}: the node number; {@code clusternode_getstate N}: one state word;
 *     {@code where_pid PID}: the node number; {@code hostname}: {@code nodeN}.
 * <li>{@code ps}: {@code PID NODE TTY TIME CMD}; {@code ps -ef}: {@code UID PID PPID NODE STIME TTY TIME CMD};
 *     both list every process of the cluster. Console sessions have TTY {@code nodeN/console}, exec
 *     sessions {@code ?}. Pids made on node N are N*65536+1 .. N*65536+65535; init is pid 1.
 * <li>{@code loads}: {@code N: LOAD} per UP node, LOAD with two decimals (a busy {@code yes >/dev/null}
 *     counts 1.00, sleepers 0); {@code loadlevel} alone: {@code N: on|off} per UP node.
 * <li>{@code dbdemo alphabet}: one record per second, {@code A: Alpha (node 1)}, then B: Bravo ... Z: Zulu,
 *     and over again; the node is where it runs when it prints.
 * <li>{@code /var/log/keepalive}: {@code YYYY-MM-DD HH:MM:SS keepalive: COMMAND: pid OLD on node N killed by
 *     SIGKILL; restarted as pid NEW on node M} (or {@code exited with status S}); {@code keepalive}:
 *     {@code keepalive: pid P on node N}, then {@code PID NODE RESTARTS COMMAND} per registered daemon;
 *     {@code spawndaemon -d}: {@code spawndaemon: PATH started as pid P on node N; keepalive restarts it when it dies}.
 * <li>A console session starts with {@link #NOTICE} (never an exec), then prompts {@code [root@nodeN DIR]# };
 *     when its node crashes it ends with {@code ssilab sim: node N went down; this console session is closed}.
 * <li>Refusals: {@code ssilab sim: WHAT is not modelled by the simulator}, exit 127 (see the package doc).
 * <li>Each node's console output is appended to {@code <clusterDir>/nodeN/console.log}.
 * </ul>
 *
 * <p>Time is real: sleeps, dbdemo's records and the load leveler's rounds run on a scheduler (a
 * background {@code sleep} is a timer, not a thread). Methods may be called from many threads.
 */
public final class SimBackend implements ClusterBackend {
    static final String NOTICE = "ssilab sim: node %d is simulated (OpenSSI model); commands run in the simulator,"
            + " not on a real kernel%n";

    private final SimCluster cluster;

    public SimBackend(int clusterId, Path clusterDir) {
        this(clusterId, clusterDir, SimTiming.REAL);
    }

    SimBackend(int clusterId, Path clusterDir, SimTiming timing) {
        RootImage image = new RootImage(recipe(), CommandRegistry.TABLE.programFiles());
        this.cluster = new SimCluster(clusterId, clusterDir, timing, image);
    }

    /**
     * content/rootfs, the recipe the uml backend builds its nodes' root from and the simulator seeds its
     * shared root from: in the content folder the manager was given ({@link BackendProvider#CONTENT_PROPERTY}),
     * else in the working directory's (a checkout, where the tests run).
     */
    static Path recipe() {
        String content = System.getProperty(BackendProvider.CONTENT_PROPERTY);
        return Path.of(content == null || content.isBlank() ? "content" : content).resolve("rootfs");
    }

    SimCluster model() {
        return cluster;
    }

    @Override
    public String name() {
        return BackendName.SIM.id();
    }

    @Override
    public void boot(List<Integer> nodes) {
        checkOpen();
        cluster.clms.boot(nodes);
    }

    @Override
    public CrashReport crash(int node) {
        checkOpen();
        return cluster.clms.crash(node);
    }

    @Override
    public List<NodeStatus> nodes() {
        return cluster.statuses();
    }

    private void checkOpen() {
        if (cluster.closed()) {
            throw cluster.stopped();
        }
    }

    @Override
    public int exec(int node, String commandLine, Duration timeout, OutputStream out) {
        return exec(node, commandLine, timeout, null, out);
    }

    /** With keys, the command has a terminal: dbdemo reads single keys from it, Ctrl-C stops the job. */
    @Override
    public int exec(int node, String commandLine, Duration timeout, InputStream keys, OutputStream out) {
        Sink.Terminal terminal = new Sink.Terminal(null);
        SimProcess sh = cluster.startSession(node, "bash -c " + commandLine, "?");
        NodeShell shell = new NodeShell(cluster, CommandRegistry.TABLE, sh, terminal, terminal, false);
        ConsoleInput input = keys == null ? null : new ConsoleInput(keys, "sim-" + cluster.id + "-exec-keys-" + node, terminal::writeRaw);
        Future<?> session = startSession(sh, () -> input == null ? shell.run(commandLine) : shell.runOnTerminal(commandLine, input), terminal);
        AtomicBoolean timedOut = new AtomicBoolean();
        // the flag is set before the kill, so the session cannot end unnoticed first
        ScheduledFuture<?> timer = cluster.scheduler.schedule(() -> cluster.terminate(sh, 9, () -> timedOut.set(true)),
                Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        try {
            if (!terminal.pump(out, session)) {
                cluster.terminate(sh, 1); // the client went away: hangup
            }
        } catch (InterruptedException e) {
            cluster.terminate(sh, 1);
            Thread.currentThread().interrupt();
        } finally {
            timer.cancel(false);
        }
        if (timedOut.get()) {
            return 124;
        }
        return sh.exitStatus();
    }

    @Override
    public void console(int node, InputStream in, OutputStream out) {
        console(node, in, out, false);
    }

    /** A raw client's keys go through the simulated node's line discipline (echo, single keys for dbdemo). */
    @Override
    public void console(int node, InputStream in, OutputStream out, boolean raw) {
        // before anything else is made, so a refused console leaves no trace
        SimProcess sh = cluster.startSession(node, "-bash", "node" + node + "/console");
        NodeConsole device = cluster.console(node);
        Sink.Terminal terminal = new Sink.Terminal(device);
        terminal.writeRaw(String.format(NOTICE, node));
        ConsoleInput input = new ConsoleInput(in, "sim-" + cluster.id + "-console-" + node, raw ? terminal::writeRaw : null);
        NodeShell shell = new NodeShell(cluster, CommandRegistry.TABLE, sh, terminal, terminal, true);
        device.attach(terminal);
        Future<?> session = startSession(sh, () -> {
            int st = shell.interactive(input);
            if (!shell.alive() && !cluster.closed()) {
                terminal.writeRaw(String.format("%nssilab sim: node %d went down; this console session is closed%n", sh.node()));
            }
            return st;
        }, terminal);
        try {
            if (!terminal.pump(out, session)) {
                cluster.terminate(sh, 1);
            }
        } catch (InterruptedException e) {
            cluster.terminate(sh, 1);
            Thread.currentThread().interrupt();
        } finally {
            device.detach(terminal);
        }
    }

    private interface SessionBody {
        int run();
    }

    /** Runs a session's shell on a job thread, so kills (interrupts) never reach the client's thread. */
    private Future<?> startSession(SimProcess sh, SessionBody body, Sink.Terminal terminal) {
        try {
            return cluster.jobs.submit(() -> {
                if (!cluster.runBy(sh, Thread.currentThread())) {
                    return;
                }
                int st = 1;
                try {
                    st = body.run();
                } finally {
                    cluster.exit(sh, st, false);
                    cluster.release(sh);
                    terminal.sessionEnded();
                }
            });
        } catch (RejectedExecutionException e) {
            cluster.terminate(sh, 9);
            throw cluster.stopped();
        }
    }

    @Override
    public void close() {
        cluster.close();
    }
}
