package dev.ssilab.cluster.uml;

import dev.ssilab.cluster.ClusterBackend;
import dev.ssilab.cluster.CrashReport;
import dev.ssilab.cluster.NodeState;
import dev.ssilab.cluster.NodeStatus;
import dev.ssilab.state.AtomicFiles;
import dev.ssilab.state.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Real nodes: each node is a User-Mode Linux kernel process booted from the shared root image through
 * its own COW file, with a swap file, a link to the backend's switch, an mconsole, and con0 on pipes
 * owned by this backend (the command channel).
 *
 * <p>Every kernel is started under {@code setpriv --pdeathsig TERM} from one long-lived launcher thread
 * (the death signal follows the thread that spawned it), and a shutdown hook kills what is left, so no
 * node outlives the JVM hosting it. Membership and the homes of the centralized services are written to
 * {@code shared/.ssi/} for the in-node tools, which see that folder as {@code /cluster}.
 */
public final class UmlBackend implements ClusterBackend {
    static final int MAX_NODE = 15;
    static final List<String> SERVICES = List.of("CLMS master", "root", "init", "keepalive");
    private static final long BOOT_TIMEOUT_MS = 60_000;
    /** Console lines besides con0 that carry commands, so a long command does not block the node. */
    static final int EXTRA_LINES = 3;

    private final int clusterId;
    private final Path clusterDir;
    private final Path root;
    private final Path kernel;
    private final Path initrd;
    private final int swapMb;
    private final int memMb;
    private final L2tpSwitch net = new L2tpSwitch();
    private final ExecutorService launcher;
    private final Thread shutdownHook;
    private final Map<Integer, NodeState> states = new TreeMap<>();
    private final Map<Integer, UmlNode> running = new TreeMap<>();
    private final Map<String, Integer> services = new LinkedHashMap<>();
    private int transition;
    private volatile boolean closed;

    UmlBackend(int clusterId, Path clusterDir, Path root, Path kernel, Path initrd, int swapMb, int memMb) {
        this.clusterId = clusterId;
        this.clusterDir = clusterDir.toAbsolutePath().normalize();
        this.root = root.toAbsolutePath().normalize();
        this.kernel = kernel.toAbsolutePath().normalize();
        this.initrd = initrd == null ? null : initrd.toAbsolutePath().normalize();
        this.swapMb = swapMb;
        this.memMb = memMb;
        for (Path p : initrd == null ? List.of(this.clusterDir, this.root, this.kernel) : List.of(this.clusterDir, this.root, this.kernel, this.initrd)) {
            if (p.toString().matches(".*[\\s,'].*")) {
                throw new UserError("path " + p + " contains a space, a comma or a quote, which a UML command line cannot carry: use another folder");
            }
        }
        cleanStale();
        try {
            Files.createDirectories(umlDir());
            Files.createDirectories(sharedDir().resolve(".ssi"));
        } catch (IOException e) {
            throw new UserError("cannot create the cluster folder " + this.clusterDir + ": " + e.getMessage());
        }
        launcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "uml-launcher-" + clusterId);
            t.setDaemon(true);
            return t;
        });
        shutdownHook = new Thread(this::killAll, "uml-shutdown-" + clusterId);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        writeMembership();
    }

    @Override
    public String name() {
        return "uml";
    }

    Path umlDir() {
        return clusterDir.resolve("uml");
    }

    /** The host folder every node mounts at /cluster. */
    Path sharedDir() {
        return clusterDir.resolve("shared");
    }

    String umid(int node) {
        return "ssi-" + clusterId + "-" + node;
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
                started.put(n, launch(n));
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
                ready = node.console.awaitReady(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                ready = false;
            }
            if (!ready) {
                node.kill();
                failed.put(e.getKey(), BootDiagnosis.explain(node.console.tail(), kernel, root));
            }
        }
        synchronized (this) {
            for (Map.Entry<Integer, UmlNode> e : started.entrySet()) {
                int n = e.getKey();
                if (failed.containsKey(n)) {
                    states.put(n, NodeState.DOWN);
                    running.remove(n);
                    net.detach(n);
                    removeUmidDir(n);
                } else {
                    states.put(n, NodeState.UP);
                }
            }
            for (int n : failed.keySet()) {
                states.put(n, NodeState.DOWN);
            }
            transition++;
            assignHomelessServices();
            writeMembership();
        }
        startKeepalive();
        if (!failed.isEmpty()) {
            Map.Entry<Integer, String> first = failed.entrySet().iterator().next();
            throw new UserError("node " + first.getKey() + " did not boot: " + first.getValue());
        }
    }

    private UmlNode launch(int n) {
        Path nodeDir = clusterDir.resolve("node" + n);
        Path swap = swapFile(n);
        try {
            Files.createDirectories(nodeDir);
            removeUmidDir(n);
            try (RandomAccessFile f = new RandomAccessFile(swap.toFile(), "rw")) {
                long size = (long) swapMb * 1024 * 1024;
                if (f.length() != size) {
                    f.setLength(size);
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot prepare node " + n + "'s files (" + swap + "): " + e.getMessage());
        }
        List<CommandChannel> lines = new ArrayList<>();
        Path log = nodeDir.resolve("console.log");
        try {
            CommandChannel.makeFifos(nodeDir, EXTRA_LINES);
            for (int k = 1; k <= EXTRA_LINES; k++) {
                lines.add(CommandChannel.open(n, k, nodeDir, log, "uml-line-" + clusterId + "-" + n + "-" + k));
            }
        } catch (IOException e) {
            lines.forEach(CommandChannel::close);
            throw new UserError("cannot make node " + n + "'s console lines in " + nodeDir + ": " + e.getMessage());
        }
        int port = L2tpSwitch.freePort();
        net.attach(n, port);
        // sh gives the kernel the FIFOs as fds 3.. and then becomes setpriv, which becomes the kernel
        StringBuilder redirects = new StringBuilder("exec \"$0\" \"$@\"");
        List<String> lineArgs = new ArrayList<>();
        for (int k = 1; k <= EXTRA_LINES; k++) {
            Path[] pair = CommandChannel.fifoPair(nodeDir, k);
            int fdIn = 1 + 2 * k, fdOut = 2 + 2 * k;
            redirects.append(' ').append(fdIn).append("<>'").append(pair[0]).append("' ")
                    .append(fdOut).append("<>'").append(pair[1]).append('\'');
            lineArgs.add("con" + k + "=fd:" + fdIn + ",fd:" + fdOut);
        }
        List<String> argv = new ArrayList<>(List.of("sh", "-c", redirects.toString(),
                "setpriv", "--pdeathsig", "TERM", "--", kernel.toString(),
                "umid=" + umid(n), "uml_dir=" + umlDir(), "mem=" + memMb + "M",
                "ubd0=" + clusterDir.resolve("cow_" + n) + "," + root, "ubd1=" + swap,
                "root=/dev/ubda", "rw", "con=null", "ssl=null", "con0=fd:0,fd:1"));
        argv.addAll(lineArgs);
        argv.addAll(List.of(
                String.format("vec0:transport=l2tpv3,udp=1,src=127.0.0.1,srcport=%d,dst=127.0.0.1,dstport=%d,"
                        + "rx_session=%d,tx_session=%d,mac=02:00:00:00:%02x:%02x", port, net.port(), n, n, clusterId % 256, n),
                "quiet", "NODE=" + n, "IP=169.254.50." + n, "CLUSTER=" + sharedDir()));
        if (initrd != null) {
            argv.add("initrd=" + initrd);
        }
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).directory(nodeDir.toFile());
        Process p;
        try {
            // The launcher thread lives as long as this backend: the kernels' death signal is tied to it.
            p = launcher.submit(() -> HostCommand.start(pb, argv)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lines.forEach(CommandChannel::close);
            throw new UserError("interrupted while starting node " + n);
        } catch (ExecutionException e) {
            lines.forEach(CommandChannel::close);
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        NodeConsole console = new NodeConsole(n, p.getInputStream(), log);
        Thread reader = new Thread(console, "uml-console-" + clusterId + "-" + n);
        reader.setDaemon(true);
        reader.start();
        List<CommandChannel> channels = new ArrayList<>(lines);
        // con0 last: it also carries kernel messages, so the quieter lines are used first
        channels.add(new CommandChannel(0, p.getOutputStream(), console, List.of()));
        UmlNode node = new UmlNode(n, p, console, channels);
        synchronized (this) {
            running.put(n, node);
        }
        p.onExit().thenRun(() -> nodeExited(n, node));
        return node;
    }

    /** swap_N beside the root image, as the HOWTO's ssi-start makes them. */
    Path swapFile(int n) {
        return root.resolveSibling("swap_" + n);
    }

    /** A kernel that ended by itself (poweroff inside, a panic): its node is DOWN and its services move. */
    private void nodeExited(int n, UmlNode node) {
        synchronized (this) {
            if (closed || running.get(n) != node) {
                return;
            }
            running.remove(n);
            if (states.get(n) == NodeState.UP) {
                states.put(n, NodeState.DOWN);
                transition++;
                failOver(n);
                writeMembership();
            }
        }
        net.detach(n);
        removeUmidDir(n);
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
        net.detach(n);
        removeUmidDir(n);
        synchronized (this) {
            states.put(n, NodeState.DOWN);
            transition++;
            moved = failOver(n);
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
            Integer n = services.get("keepalive");
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

    /** Moves every service hosted on {@code n} to the lowest-numbered node still up. */
    private Map<String, Integer> failOver(int n) {
        Map<String, Integer> moved = new LinkedHashMap<>();
        Optional<Integer> survivor = lowestUp();
        for (Map.Entry<String, Integer> e : services.entrySet()) {
            if (e.getValue() != null && e.getValue() == n) {
                e.setValue(survivor.orElse(null));
                survivor.ifPresent(s -> moved.put(e.getKey(), s));
            }
        }
        return moved;
    }

    private void assignHomelessServices() {
        Optional<Integer> lowest = lowestUp();
        for (String s : SERVICES) {
            Integer home = services.get(s);
            if ((home == null || states.get(home) != NodeState.UP) && lowest.isPresent()) {
                services.put(s, lowest.get());
            }
        }
    }

    private Optional<Integer> lowestUp() {
        return states.entrySet().stream().filter(e -> e.getValue() == NodeState.UP).map(Map.Entry::getKey).findFirst();
    }

    @Override
    public synchronized List<NodeStatus> nodes() {
        List<NodeStatus> out = new ArrayList<>();
        states.forEach((n, s) -> out.add(new NodeStatus(n, s, servicesOn(n))));
        return out;
    }

    private List<String> servicesOn(int n) {
        return services.entrySet().stream().filter(e -> e.getValue() != null && e.getValue() == n).map(Map.Entry::getKey).toList();
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

    /**
     * A line-by-line shell on node N: each line typed runs on the node (as {@link #exec} does) and anything
     * else the node's console prints meanwhile is shown too. Not a full terminal: no job control, no
     * full-screen programs.
     */
    @Override
    public void console(int n, InputStream in, OutputStream out) {
        UmlNode node = upNode(n);
        Consumer<String> unsolicited = line -> {
            synchronized (out) {
                try {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    // the learner detached
                }
            }
        };
        node.console.listen(unsolicited);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            prompt(out, n);
            String line;
            while ((line = lines.readLine()) != null) {
                String cmd = line.strip();
                if (cmd.equals("exit") || cmd.equals("logout")) {
                    break;
                }
                if (!cmd.isEmpty()) {
                    node.console.unlisten(unsolicited);
                    try {
                        node.exec(cmd, Duration.ofHours(1), out);
                    } catch (UserError e) {
                        out.write(("console: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                        if (!node.alive()) {
                            break;
                        }
                    } finally {
                        node.console.listen(unsolicited);
                    }
                }
                prompt(out, n);
            }
        } catch (IOException e) {
            // the learner's side closed
        } finally {
            node.console.unlisten(unsolicited);
        }
    }

    private static void prompt(OutputStream out, int n) throws IOException {
        synchronized (out) {
            out.write(("node" + n + ":/# ").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** Graceful stop: mconsole "cad" to every node (init syncs and powers off), then kill what is left. */
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
            Path socket = umlDir().resolve(umid(node.node)).resolve("mconsole");
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
        net.close();
        launcher.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
        KernelInstaller.deleteTree(umlDir());
        try (Stream<Path> s = Files.list(clusterDir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("cow_")).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: the next start cleans stale files too
        }
    }

    private void killAll() {
        List<UmlNode> nodes;
        synchronized (this) {
            nodes = new ArrayList<>(running.values());
        }
        nodes.forEach(UmlNode::kill);
    }

    private void removeUmidDir(int n) {
        KernelInstaller.deleteTree(umlDir().resolve(umid(n)));
    }

    /**
     * Kernels left by a manager of this cluster that died (their pid files under uml/), then the stale
     * node folders and COW files: a fresh cluster starts from nothing.
     */
    private void cleanStale() {
        Path uml = umlDir();
        if (Files.isDirectory(uml)) {
            try (Stream<Path> dirs = Files.list(uml)) {
                for (Path d : dirs.toList()) {
                    Path pidFile = d.resolve("pid");
                    if (!Files.isRegularFile(pidFile)) {
                        continue;
                    }
                    String umid = d.getFileName().toString();
                    try {
                        long pid = Long.parseLong(Files.readString(pidFile).strip());
                        ProcessHandle.of(pid)
                                .filter(h -> h.info().arguments().map(a -> List.of(a).contains("umid=" + umid)).orElse(false))
                                .ifPresent(h -> {
                                    h.destroyForcibly();
                                    h.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(x -> null).join();
                                });
                    } catch (IOException | NumberFormatException e) {
                        // unreadable pid file: nothing to kill
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            KernelInstaller.deleteTree(uml);
        }
        if (Files.isDirectory(clusterDir)) {
            try (Stream<Path> s = Files.list(clusterDir)) {
                for (Path p : s.toList()) {
                    String name = p.getFileName().toString();
                    if (name.startsWith("cow_") || name.matches("node\\d+")) {
                        KernelInstaller.deleteTree(p);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * shared/.ssi/membership: what the in-node tools print. One line per node, "N STATE service,service",
     * after a header with the transition id and the master.
     */
    private void writeMembership() {
        StringBuilder sb = new StringBuilder();
        sb.append("cluster ").append(clusterId).append('\n');
        sb.append("transition ").append(transition).append('\n');
        Integer master = services.get("CLMS master");
        sb.append("master ").append(master == null ? "-" : master).append('\n');
        states.forEach((n, s) -> sb.append("node ").append(n).append(' ').append(s).append(' ')
                .append(String.join(",", servicesOn(n).stream().map(x -> x.replace(' ', '_')).toList()).replaceAll("^$", "-"))
                .append('\n'));
        try {
            Files.createDirectories(sharedDir().resolve(".ssi"));
            AtomicFiles.writeString(sharedDir().resolve(".ssi/membership"), sb.toString());
        } catch (IOException | RuntimeException e) {
            // the tools inside then show the previous state; the manager's own view stays right
        }
    }
}
