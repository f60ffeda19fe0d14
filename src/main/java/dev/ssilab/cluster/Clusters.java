package dev.ssilab.cluster;

import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Cluster API for everyone above this package (the ssi-* commands, steps, checks): start, list,
 * add, crash, stop clusters and run commands or consoles on their nodes.
 *
 * <p>Each call is a short-lived client: it reads the registry and talks to the cluster's manager
 * process over its socket, so any number of processes can use the same cluster at once. Wrong input
 * throws {@link UserError} with one line and changes nothing.
 */
public final class Clusters {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** A manager answers PING at once (it touches no node); one that does not within this is deaf. */
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);

    private final Registry registry;
    private final ManagerLauncher launcher;

    public Clusters(SsilabPaths paths) {
        this(paths, ManagerLauncher.READY_TIMEOUT);
    }

    /** @param readyTimeout how long {@link #start} waits for a new manager to boot its nodes */
    public Clusters(SsilabPaths paths, Duration readyTimeout) {
        this.registry = new Registry(paths);
        this.launcher = new ManagerLauncher(registry, readyTimeout);
    }

    /** Starts a cluster with nodes 1..N and returns once they are up and its manager answers. */
    public ClusterInfo start(StartRequest request) {
        ClusterArgs.checkNodeCount(request.nodes());
        if (request.swapMb() < 1 || request.swapMb() > ClusterArgs.MAX_SWAP_MB) {
            throw new UserError("swap size " + request.swapMb() + " MB is out of range (give 1.."
                    + ClusterArgs.MAX_SWAP_MB + " MB, e.g. -s 64)");
        }
        Path root = existingFile(request.root(), "root image", "give one with -r ROOT, or run ssi-start where root_fs is");
        Path kernel = request.kernel() == null ? null : existingFile(request.kernel(), "kernel", "give an existing file with -k KERNEL");
        Path initrd = request.initrd() == null ? null : existingFile(request.initrd(), "initrd", "give an existing file with -i INITRD");
        if (!Files.isWritable(root.getParent())) {
            throw new UserError("cannot create the swap files beside " + root + ": " + root.getParent() + " is not writable");
        }
        Backends.find(request.backend());
        ProcessHandle self = ProcessHandle.current();
        ClusterState initial = registry.allocate(id -> new ClusterState(id, ClusterState.Phase.STARTING,
                request.backend(), request.nodes(), Instant.now(), List.of(), self.pid(),
                self.info().startInstant().orElse(null), null, root, request.swapMb(), kernel, initrd));
        ClusterState running = launcher.launch(initial.id());
        return info(running);
    }

    /** Every cluster in the registry, lowest id first; clusters whose manager is gone are marked stale. */
    public List<ClusterInfo> list() {
        List<ClusterInfo> out = new ArrayList<>();
        for (int id : registry.ids()) {
            try {
                registry.read(id).ifPresent(s -> out.add(info(s)));
            } catch (UncheckedIOException corrupt) {
                out.add(corruptInfo(id));
            }
        }
        return out;
    }

    /** One cluster, as {@link #list} shows it. */
    public ClusterInfo info(int id) {
        try {
            return info(state(id));
        } catch (UncheckedIOException corrupt) {
            return corruptInfo(id);
        }
    }

    /** A cluster whose state file cannot be read: stale unless a manager answers on its socket. */
    private ClusterInfo corruptInfo(int id) {
        boolean answers = new ManagerClient(id, socketOf(id, null), registry.logFile(id)).answers(PING_TIMEOUT);
        return new ClusterInfo(id, "unknown", List.of(), modified(registry.dir(id)), !answers, registry.dir(id));
    }

    /**
     * Boots those of {@code nodes} that are not up into cluster {@code id}, as the 2002 scripts did;
     * returns the nodes skipped because they were up already. When every node is up, nothing is added
     * and the learner is told so.
     */
    public List<Integer> add(int id, List<Integer> nodes) {
        if (nodes.isEmpty()) {
            throw new UserError("no node given (name the nodes to add, e.g. 5 6)");
        }
        nodes.forEach(ClusterArgs::checkNodeRange);
        String answer = manager(id).call(ManagerProtocol.ADD + " " + nodes.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        String[] lines = answer.split("\n", -1);
        List<Integer> skipped = new ArrayList<>();
        if (lines.length > 1) {
            for (String n : lines[1].trim().split("\\s+")) {
                if (!n.isEmpty()) {
                    skipped.add(Integer.parseInt(n));
                }
            }
        }
        return skipped;
    }

    /**
     * Refuses, before any node is crashed, a list with a node that is not up: ssi-rm of several nodes
     * either crashes them all or changes nothing.
     */
    public void checkCrashable(int id, List<Integer> nodes) {
        nodes.forEach(ClusterArgs::checkNodeRange);
        List<Integer> up = nodes(id).stream().filter(n -> n.state().isUp()).map(NodeStatus::node).toList();
        for (int n : nodes) {
            if (!up.contains(n)) {
                throw new UserError("node " + n + " is not up in cluster " + id + " (nodes up: " + ClusterMessages.join(up)
                        + "); nothing was crashed");
            }
        }
    }

    /** Ids of the clusters whose manager is alive (the ones an id may be left out for). */
    public List<Integer> runningIds() {
        return list().stream().filter(c -> !c.stale()).map(ClusterInfo::id).toList();
    }

    /** Crashes node {@code node} of cluster {@code id}; its centralized services move to the lowest surviving node. */
    public CrashReport crash(int id, int node) {
        ClusterArgs.checkNodeRange(node);
        String[] lines = manager(id).call(ManagerProtocol.CRASH + " " + node).split("\n");
        Map<String, Integer> moved = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split("\t");
            if (fields.length == 2) {
                moved.put(fields[0], Integer.parseInt(fields[1]));
            }
        }
        return new CrashReport(Integer.parseInt(lines[0].trim()), moved);
    }

    /**
     * Ends cluster {@code id} and removes it from the registry (swap files stay). The socket is the
     * truth: a manager that answers there is stopped through it, even when the state file is corrupt.
     * A cluster whose manager does not answer is stale and just removed; only a pid that is really this
     * cluster's manager (a hung one) is ever signalled.
     */
    public void stop(int id) {
        ClusterState state = null;
        try {
            state = state(id);
        } catch (UncheckedIOException corrupt) {
            // the socket decides below
        }
        if (state != null && state.phase() == ClusterState.Phase.STARTING && Registry.ownerAlive(state)) {
            throw new UserError("cluster " + id + " is still starting; run ssi-stop " + id + " again once ssi-start has finished");
        }
        Path socket = socketOf(id, state);
        ManagerClient client = new ManagerClient(id, socket, registry.logFile(id));
        if (client.answers(PING_TIMEOUT)) {
            try {
                client.call(ManagerProtocol.STOP);
            } catch (UserError lost) {
                if (state == null || !Registry.ownerAlive(state)) {
                    throw new UserError("cannot stop the manager of cluster " + id + ": " + lost.getMessage());
                }
                // a manager we know by its pid is ended below
            }
            if (state != null && Registry.ownerAlive(state)) {
                awaitExit(state, STOP_TIMEOUT);
            }
        } else if (state != null && Registry.ownerAlive(state)) {
            // This cluster's own manager, alive but deaf (hung): end it (SIGTERM lets it end its nodes).
            ProcessHandle.of(state.pid()).ifPresent(ProcessHandle::destroy);
            awaitExit(state, Duration.ofSeconds(10));
        }
        registry.remove(id, socket);
    }

    /**
     * Where cluster {@code id}'s manager listens: as its state file says; without one, in the cluster
     * folder, or else in a socket folder of that id under the temp folder whose manager answers as it.
     */
    private Path socketOf(int id, ClusterState state) {
        if (state != null && state.socket() != null) {
            return state.socket();
        }
        Path inside = registry.dir(id).toAbsolutePath().resolve(Registry.SOCKET_FILE);
        if (Files.exists(inside)) {
            return inside;
        }
        for (Path tmp : List.of(Path.of(System.getProperty("java.io.tmpdir")), Path.of("/tmp"))) {
            try (var dirs = Files.newDirectoryStream(tmp, "ssilab-" + id + "-*")) {
                for (Path dir : dirs) {
                    Path socket = dir.resolve("s");
                    if (new ManagerClient(id, socket, registry.logFile(id)).answers(PING_TIMEOUT)) {
                        return socket;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no temp folder to look in
            }
        }
        return inside;
    }

    /** Node states and the services each node hosts, as the manager knows them now. */
    public List<NodeStatus> nodes(int id) {
        List<NodeStatus> nodes = new ArrayList<>();
        for (String line : manager(id).call(ManagerProtocol.NODES).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            nodes.add(new NodeStatus(Integer.parseInt(f[0]), NodeState.valueOf(f[1]),
                    Arrays.asList(f).subList(2, f.length)));
        }
        return nodes;
    }

    /**
     * Runs one command line in node {@code node}'s shell.
     *
     * @param live receives the output as it comes (may be null); the result holds all of it too
     */
    public ExecResult exec(int id, int node, String commandLine, Duration timeout, OutputStream live) {
        return exec(id, node, commandLine, timeout, null, live);
    }

    /** @param keys the learner's keys for the command's terminal (a raw terminal's bytes), or null */
    public ExecResult exec(int id, int node, String commandLine, Duration timeout, InputStream keys, OutputStream live) {
        ClusterArgs.checkNodeRange(node);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new UserError("timeout " + timeout + " must be positive");
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                all.write(b, off, len);
                if (live != null) {
                    live.write(b, off, len);
                }
            }

            @Override
            public void flush() throws IOException {
                if (live != null) {
                    live.flush();
                }
            }
        };
        int status = manager(id).exec(node, commandLine, timeout, keys, tee);
        return new ExecResult(status, all.toString(StandardCharsets.UTF_8));
    }

    /**
     * Why a command on a node ended as it did, when the reason is the node: a command whose node crashed
     * or was removed under it is killed (status 137, as SIGKILL), which says nothing by itself. Null when
     * the command failed on its own, or its node is still up.
     */
    public String nodeLostNote(int id, int node, int status) {
        if (status == 0 || status == ExecResult.TIMED_OUT) {
            return null;
        }
        try {
            boolean up = nodes(id).stream().anyMatch(n -> n.node() == node && n.state().isUp());
            return up ? null : "node " + node + " of cluster " + id + " went down while the command ran (status " + status
                    + "); 'ssi-add " + id + " " + node + "' brings it back";
        } catch (UserError e) {
            return "cluster " + id + " went away while the command ran (status " + status + "): " + e.getMessage();
        }
    }

    /** Connects {@code in}/{@code out} to node {@code node}'s console until its shell ends or {@code in} ends. */
    public void console(int id, int node, InputStream in, OutputStream out) {
        console(id, node, in, out, false);
    }

    /** @param raw the client's terminal sends keys as pressed and echoes nothing (the node's side echoes) */
    public void console(int id, int node, InputStream in, OutputStream out, boolean raw) {
        console(id, node, in, out, raw, null);
    }

    /** As above, telling the node the learner's terminal size (null: no size to tell). */
    public void console(int id, int node, InputStream in, OutputStream out, boolean raw, TerminalSize size) {
        ClusterArgs.checkNodeRange(node);
        manager(id).console(node, in, out, raw, size);
    }

    private ClusterState state(int id) {
        return registry.read(id).orElseThrow(() -> new UserError("no cluster " + id + " (ssi-ls lists the clusters)"));
    }

    private ManagerClient manager(int id) {
        ClusterState state = state(id);
        if (!Registry.ownerAlive(state)) {
            throw new UserError("cluster " + id + " is stale: its manager is gone (ssi-stop " + id + " removes it)");
        }
        if (state.phase() != ClusterState.Phase.RUNNING) {
            throw new UserError("cluster " + id + " is still starting; try again once ssi-start has finished");
        }
        return new ManagerClient(id, state.socket(), registry.logFile(id));
    }

    private ClusterInfo info(ClusterState s) {
        boolean stale = !Registry.ownerAlive(s);
        return new ClusterInfo(s.id(), s.backend(), stale ? List.of() : s.nodesUp(), s.started(), stale, registry.dir(s.id()));
    }

    /** Waits for the manager to exit, killing it if it has not within the stop timeout. */
    private void awaitExit(ClusterState state, Duration timeout) {
        if (!waitDead(state, timeout)) {
            ProcessHandle.of(state.pid()).ifPresent(ProcessHandle::destroyForcibly);
            if (!waitDead(state, Duration.ofSeconds(10))) {
                throw new UserError("cannot stop the manager of cluster " + state.id() + " (pid " + state.pid() + ")");
            }
        }
    }

    /**
     * Polls rather than using ProcessHandle.onExit: the manager is not our child, and once its parent
     * has gone it may linger as a zombie that onExit never reports.
     */
    private static boolean waitDead(ClusterState state, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Registry.ownerAlive(state)) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(10); // poll interval of a liveness check, not a synchronisation guess
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted while cluster " + state.id() + " was stopping");
            }
        }
        return true;
    }

    private static Path existingFile(Path file, String what, String hint) {
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new UserError(what + " " + file + " not found" + (Files.isDirectory(abs) ? " (it is a folder)" : "") + " (" + hint + ")");
        }
        return abs;
    }

    private static Instant modified(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }
}
