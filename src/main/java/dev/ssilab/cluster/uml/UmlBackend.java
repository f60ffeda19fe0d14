package dev.ssilab.cluster.uml;

import dev.ssilab.cluster.BackendName;
import dev.ssilab.cluster.ClusterBackend;
import dev.ssilab.cluster.CrashReport;
import dev.ssilab.cluster.NodeState;
import dev.ssilab.cluster.NodeStatus;
import dev.ssilab.state.AtomicFiles;
import dev.ssilab.state.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Real nodes: each node is a User-Mode Linux kernel process booted from the shared root image through
 * its own COW file, with a swap file, a link to the cluster's switch, an mconsole, and console lines
 * owned by this backend (con0 on pipes, con1..3 on FIFOs) that carry commands ({@link NodeLauncher}
 * starts them; this class keeps membership and the lifecycle, {@link ServiceHomes} where the services run,
 * {@link UmlConsoles} the learner's consoles).
 *
 * <p>Every kernel is started under {@code setpriv --pdeathsig TERM} from one long-lived launcher thread
 * (the death signal follows the thread that spawned it), and a shutdown hook kills what is left, so no
 * node outlives the JVM hosting it. Membership and the homes of the centralized services are written to
 * {@code shared/.ssi/} for the in-node tools, which see that folder as {@code /cluster}.
 */
public final class UmlBackend implements ClusterBackend {
    static final int MAX_NODE = 15;
    private static final long BOOT_TIMEOUT_MS = 60_000;

    private final int clusterId;
    private final Path clusterDir;
    private final Path root;
    private final Path kernel;
    private final NodeLauncher launcher;
    private final Thread shutdownHook;
    private final Map<Integer, NodeState> states = new TreeMap<>();
    private final Map<Integer, UmlNode> running = new TreeMap<>();
    private volatile Runnable exitListener = () -> { };
    private final ServiceHomes services = new ServiceHomes();
    private final UmlConsoles consoles = new UmlConsoles(this::upNode);
    private int transition;
    private volatile boolean closed;

    UmlBackend(int clusterId, Path clusterDir, Path root, Path kernel, Path initrd, int swapMb, int memMb) {
        this(clusterId, clusterDir, root, kernel, initrd, swapMb, memMb, SharedRoot.wanted(System.getenv()));
    }

    /** @param shared one root folder for every node (see {@link SharedRoot}), else each node on the image */
    UmlBackend(int clusterId, Path clusterDir, Path root, Path kernel, Path initrd, int swapMb, int memMb, boolean shared) {
        this.clusterId = clusterId;
        this.clusterDir = clusterDir.toAbsolutePath().normalize();
        this.root = root.toAbsolutePath().normalize();
        this.kernel = kernel.toAbsolutePath().normalize();
        Path initrdPath = initrd == null ? null : initrd.toAbsolutePath().normalize();
        for (Path p : initrd == null ? List.of(this.clusterDir, this.root, this.kernel) : List.of(this.clusterDir, this.root, this.kernel, initrdPath)) {
            if (p.toString().matches(".*[\\s,'].*")) {
                throw new UserError("path " + p + " contains a space, a comma or a quote, which a UML command line cannot carry: use another folder");
            }
        }
        launcher = new NodeLauncher(clusterId, this.clusterDir, this.root, this.kernel, initrdPath, swapMb, memMb, shared);
        launcher.cleanStale();
        try {
            Files.createDirectories(launcher.umlDir());
            Files.createDirectories(launcher.sharedDir().resolve(".ssi"));
        } catch (IOException e) {
            launcher.close();
            throw new UserError("cannot create the cluster folder " + this.clusterDir + ": " + e.getMessage());
        }
        if (launcher.sharedRoot() != null) {
            try {
                SharedRoot.fill(this.root, launcher.sharedRoot());
                // CRIU, with which the nodes migrate processes, when 'ssilab criu install' built it
                new CriuStore(dev.ssilab.state.SsilabPaths.fromEnvironment(System.getenv())).copyInto(launcher.sharedRoot());
            } catch (UserError e) {
                launcher.close();
                throw e;
            }
        }
        shutdownHook = new Thread(this::killAll, "uml-shutdown-" + clusterId);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        writeMembership();
    }

    @Override
    public String name() {
        return BackendName.UML.id();
    }

    @Override
    public void boot(List<Integer> nodes) {
        List<Integer> wanted = new ArrayList<>(new TreeSet<>(nodes));
        synchronized (this) {
            if (closed) {
                throw new UserError("cluster " + clusterId + " is stopped");
            }
            for (int n : wanted) {
                if (n < 1 || n > MAX_NODE) {
                    throw new UserError("node " + n + " is out of range: nodes are numbered 1 to " + MAX_NODE);
                }
                NodeState s = states.getOrDefault(n, NodeState.NEVERUP);
                if (s == NodeState.UP || s == NodeState.COMINGUP) {
                    throw new UserError("node " + n + " is already up in cluster " + clusterId);
                }
            }
            for (int n : wanted) {
                states.put(n, NodeState.COMINGUP);
            }
            transition++;
            writeMembership();
        }
        Map<Integer, UmlNode> started = new TreeMap<>();
        Map<Integer, String> failed = new TreeMap<>();
        for (int n : wanted) {
            try {
                UmlNode node = launcher.launch(n);
                synchronized (this) {
                    running.put(n, node);
                }
                node.process.onExit().thenRun(() -> nodeExited(n, node));
                started.put(n, node);
            } catch (RuntimeException e) {
                failed.put(n, e.getMessage());
            }
        }
        // They boot in parallel; one shared deadline.
        long deadline = System.currentTimeMillis() + BOOT_TIMEOUT_MS;
        for (Map.Entry<Integer, UmlNode> e : started.entrySet()) {
            UmlNode node = e.getValue();
            boolean ready;
            try {
                ready = node.awaitReady(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                ready = false;
            }
            if (!ready) {
                node.kill();
                failed.put(e.getKey(), BootDiagnosis.explain(node.bootTail(), kernel, root));
            }
        }
        synchronized (this) {
            for (Map.Entry<Integer, UmlNode> e : started.entrySet()) {
                int n = e.getKey();
                if (failed.containsKey(n)) {
                    states.put(n, NodeState.DOWN);
                    running.remove(n);
                    launcher.forget(n);
                } else {
                    states.put(n, NodeState.UP);
                }
            }
            for (int n : failed.keySet()) {
                states.put(n, NodeState.DOWN);
            }
            transition++;
            services.assignHomeless(lowestUp(), n -> states.get(n) == NodeState.UP);
            writeMembership();
        }
        startKeepalive();
        if (!failed.isEmpty()) {
            Map.Entry<Integer, String> first = failed.entrySet().iterator().next();
            throw new UserError("node " + first.getKey() + " did not boot: " + first.getValue());
        }
    }

    /** A kernel that ended by itself (poweroff inside, a panic): its node is DOWN and its services move. */
    private void nodeExited(int n, UmlNode node) {
        boolean down = false;
        synchronized (this) {
            if (closed || running.get(n) != node) {
                return;
            }
            running.remove(n);
            if (states.get(n) == NodeState.UP) {
                states.put(n, NodeState.DOWN);
                transition++;
                services.failOver(n, lowestUp());
                writeMembership();
                down = true;
            }
        }
        launcher.forget(n);
        if (down) {
            exitListener.run(); // outside the lock: the manager asks nodes() again
        }
    }

    @Override
    public void onNodeExit(Runnable listener) {
        exitListener = listener;
    }

    @Override
    public CrashReport crash(int n) {
        UmlNode node;
        Map<String, Integer> moved;
        synchronized (this) {
            if (states.getOrDefault(n, NodeState.NEVERUP) != NodeState.UP || !running.containsKey(n)) {
                throw new UserError("node " + n + " is not up in cluster " + clusterId);
            }
            long up = states.values().stream().filter(NodeState::isUp).count();
            if (up == 1) {
                throw new UserError("node " + n + " is the last node up in cluster " + clusterId
                        + ": stop the cluster instead (ssi-stop " + clusterId + ")");
            }
            node = running.remove(n);
            states.put(n, NodeState.KCLEANUP);
        }
        node.kill();
        launcher.forget(n);
        synchronized (this) {
            states.put(n, NodeState.DOWN);
            transition++;
            moved = services.failOver(n, lowestUp());
            writeMembership();
        }
        if (moved.containsKey("keepalive")) {
            startKeepalive();
        }
        return new CrashReport(n, moved);
    }

    /**
     * Starts the keepalive daemon on the node hosting the "keepalive" service (the daemon itself does
     * nothing when one already runs): after a boot, and on its new home after a crash.
     */
    private void startKeepalive() {
        UmlNode home;
        synchronized (this) {
            Integer n = services.home("keepalive");
            home = n == null ? null : running.get(n);
        }
        if (home != null) {
            try {
                home.exec("keepalive -d", Duration.ofSeconds(10), OutputStream.nullOutputStream());
            } catch (UserError e) {
                // its node went away meanwhile: the next failover starts it elsewhere
            }
        }
    }

    private Optional<Integer> lowestUp() {
        return states.entrySet().stream().filter(e -> e.getValue() == NodeState.UP).map(Map.Entry::getKey).findFirst();
    }

    @Override
    public synchronized List<NodeStatus> nodes() {
        List<NodeStatus> out = new ArrayList<>();
        states.forEach((n, s) -> out.add(new NodeStatus(n, s, services.on(n))));
        return out;
    }

    @Override
    public int exec(int n, String commandLine, Duration timeout, OutputStream out) {
        return upNode(n).exec(commandLine, timeout, out);
    }

    private synchronized UmlNode upNode(int n) {
        UmlNode node = running.get(n);
        if (node == null || states.get(n) != NodeState.UP) {
            throw new UserError("node " + n + " is not up in cluster " + clusterId
                    + (n < 1 || n > MAX_NODE ? " (nodes are numbered 1 to " + MAX_NODE + ")" : ""));
        }
        return node;
    }

    /** A line-by-line shell on node N, for a client that is not a terminal (see {@link UmlConsoles}). */
    @Override
    public void console(int n, InputStream in, OutputStream out) {
        consoles.lines(n, in, out);
    }

    @Override
    public void console(int n, InputStream in, OutputStream out, boolean raw) {
        consoles.attach(n, in, out, raw);
    }

    @Override
    public void resizeConsole(int n, int rows, int cols) {
        consoles.resize(n, rows, cols);
    }

    /**
     * Graceful stop: every node runs ssi-halt (syncs and powers off; mconsole "cad" when no command
     * channel is free), then what is left after 10 s is killed.
     */
    @Override
    public void close() {
        List<UmlNode> nodes;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            nodes = new ArrayList<>(running.values());
        }
        for (UmlNode node : nodes) {
            if (node.halt()) {
                continue;
            }
            Path socket = launcher.mconsole(node.node);
            try {
                new Mconsole(socket).send("cad", 1000);
            } catch (IOException | RuntimeException e) {
                node.kill();
            }
        }
        long deadline = System.currentTimeMillis() + 10_000;
        for (UmlNode node : nodes) {
            try {
                node.process.waitFor(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        finish();
    }

    /** Kills every node at once, without a graceful stop (doctor's probe, and the shutdown hook). */
    void killNow() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        finish();
    }

    private void finish() {
        killAll();
        synchronized (this) {
            states.replaceAll((n, s) -> s == NodeState.NEVERUP ? s : NodeState.DOWN);
            running.clear();
            transition++;
            writeMembership();
        }
        launcher.close();
        consoles.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
    }

    private void killAll() {
        List<UmlNode> nodes;
        synchronized (this) {
            nodes = new ArrayList<>(running.values());
        }
        nodes.forEach(UmlNode::kill);
    }

    /**
     * shared/.ssi/membership: what the in-node tools print. One line per node, "N STATE service,service",
     * after a header with the transition id and the master.
     */
    private void writeMembership() {
        StringBuilder sb = new StringBuilder();
        sb.append("cluster ").append(clusterId).append('\n');
        sb.append("transition ").append(transition).append('\n');
        Integer master = services.home("CLMS master");
        sb.append("master ").append(master == null ? "-" : master).append('\n');
        states.forEach((n, s) -> sb.append("node ").append(n).append(' ').append(s).append(' ')
                .append(String.join(",", services.on(n).stream().map(x -> x.replace(' ', '_')).toList()).replaceAll("^$", "-"))
                .append('\n'));
        try {
            Files.createDirectories(launcher.sharedDir().resolve(".ssi"));
            AtomicFiles.writeString(launcher.sharedDir().resolve(".ssi/membership"), sb.toString());
        } catch (IOException | RuntimeException e) {
            // the tools inside then show the previous state; the manager's own view stays right
        }
    }
}
