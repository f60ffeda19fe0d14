package dev.ssilab.cluster;

import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.UserError;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The cluster manager process ({@code ssilab clusterd ID}): owns one cluster's backend, boots its nodes,
 * records membership in the registry, and serves clients on the cluster's AF_UNIX socket until STOP.
 *
 * <p>Membership changes (add, crash, stop) are serialised so the state file always matches the
 * backend; exec and console run concurrently. The wire protocol is described in {@link ManagerProtocol}.
 */
public final class ClusterManager {
    private final Registry registry;
    private final int id;
    private final PrintStream log;
    private final Object membership = new Object();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final ExecutorService clients = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "clusterd-client");
        t.setDaemon(true);
        return t;
    });

    /** Console connections not yet ended: a STOP ends them, as this process exits right after. */
    private final Set<ConsoleEnd> consoles = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ClusterState state;
    private ClusterBackend backend;
    private volatile boolean backendClosed;
    private ServerSocketChannel server;
    private Path socket;

    public ClusterManager(SsilabPaths paths, int id, PrintStream log) {
        this.registry = new Registry(paths);
        this.id = id;
        this.log = log;
    }

    /** Boots nodes 1..N, serves clients until a STOP request, then ends the nodes and returns. */
    public void run() throws InterruptedException {
        state = registry.read(id).orElseThrow(
                () -> new UserError("no cluster " + id + " in " + registry.root() + " (ssi-start creates clusters)"));
        if (state.phase() != ClusterState.Phase.STARTING) {
            throw new UserError("cluster " + id + " already has a manager (pid " + state.pid() + ")");
        }
        ProcessHandle self = ProcessHandle.current();
        state = registry.update(id, s -> s.withOwner(self.pid(), self.info().startInstant().orElse(null)));
        BackendProvider provider = Backends.find(state.backend());
        StartRequest request = state.request();
        log("starting cluster " + id + ": backend " + provider.name() + ", " + request.nodes() + " nodes, root " + request.root());
        backend = provider.create(id, request, registry.dir(id));
        // SIGTERM or SIGINT to the manager must still end the nodes (real UML kernels would outlive it).
        Thread hook = new Thread(this::shutDown, "clusterd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<Integer> first = IntStream.rangeClosed(1, request.nodes()).boxed().collect(Collectors.toList());
            SwapFiles.ensure(request.root(), first, request.swapMb());
            backend.boot(first);
            log("booted nodes " + join(first));
            listen();
            state = registry.update(id, s -> s.running(socket, upNodes()));
            log("ready on " + socket);
            Thread acceptor = new Thread(this::acceptLoop, "clusterd-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            stopRequested.await();
            log("stopped");
        } finally {
            shutDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyExiting) {
                // the hook is running or has run: it did the same work
            }
        }
    }

    private void listen() {
        socket = SocketPaths.choose(registry.dir(id), id);
        try {
            Files.deleteIfExists(socket);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new UserError("cluster manager cannot listen on " + socket + ": " + e.getMessage());
        }
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log("accept failed: " + e);
                return;
            }
            clients.submit(() -> serve(client));
        }
    }

    private void serve(SocketChannel channel) {
        try (ManagerProtocol client = new ManagerProtocol(channel)) {
            String header = client.readHeader();
            if (header == null) {
                return;
            }
            try {
                answer(client, header.split(" "));
            } catch (UserError e) {
                client.writeFrame(ManagerProtocol.FAIL, e.getMessage());
            } catch (RuntimeException e) {
                log("request '" + header + "' failed:\n" + stackTrace(e));
                client.writeFrame(ManagerProtocol.FAIL, "the manager of cluster " + id + " failed: " + e
                        + " (details in " + registry.logFile(id) + ")");
            }
        } catch (IOException e) {
            log("client connection ended: " + e.getMessage());
        }
    }

    private void answer(ManagerProtocol client, String[] words) throws IOException {
        String verb = words[0];
        switch (verb) {
            case ManagerProtocol.PING -> client.writeFrame(ManagerProtocol.OK, ManagerProtocol.VERSION + "\t" + backend.name());
            case ManagerProtocol.NODES -> client.writeFrame(ManagerProtocol.OK, formatNodes(backend.nodes()));
            case ManagerProtocol.ADD -> client.writeFrame(ManagerProtocol.OK, add(numbers(words, 1, words.length)));
            case ManagerProtocol.CRASH -> client.writeFrame(ManagerProtocol.OK, formatCrash(crash(numbers(words, 1, 2).get(0))));
            case ManagerProtocol.EXEC -> exec(client, numbers(words, 1, 2).get(0), Duration.ofMillis(Long.parseLong(words[2])),
                    words.length > 3 && words[3].equals(ManagerProtocol.KEYS));
            case ManagerProtocol.CONSOLE -> console(client, numbers(words, 1, 2).get(0),
                    words.length > 2 && words[2].equals(ManagerProtocol.RAW));
            case ManagerProtocol.STOP -> stop(client);
            default -> client.writeFrame(ManagerProtocol.FAIL,
                    "unknown request '" + verb + "' (this cluster manager speaks " + ManagerProtocol.VERSION + ")");
        }
    }

    /**
     * Boots the given nodes that are not up; the ones up already are skipped, as the 2002 scripts did,
     * and refused only when that leaves nothing to boot. Answers the nodes up now, then (second line)
     * the nodes skipped.
     */
    private String add(List<Integer> nodes) {
        synchronized (membership) {
            checkNotStopping();
            Map<Integer, NodeStatus> known = statusByNode();
            Set<Integer> seen = new HashSet<>();
            List<Integer> skipped = new ArrayList<>();
            List<Integer> toBoot = new ArrayList<>();
            for (int node : nodes) {
                ClusterArgs.checkNodeRange(node);
                if (!seen.add(node)) {
                    throw new UserError("node " + node + " is given twice (give each node once)");
                }
                NodeStatus status = known.get(node);
                if (status != null && status.state().isUp()) {
                    skipped.add(node);
                    continue;
                }
                if (status != null && status.state() != NodeState.NEVERUP && status.state() != NodeState.DOWN) {
                    throw new UserError("node " + node + " of cluster " + id + " is " + status.state()
                            + ", not down; add it again once it is DOWN");
                }
                toBoot.add(node);
            }
            if (toBoot.isEmpty()) {
                throw new UserError((skipped.size() == 1 ? "node " + skipped.get(0) + " is" : "nodes " + join(skipped) + " are")
                        + " already up in cluster " + id + " (nodes up: " + join(upNodes()) + ")");
            }
            try {
                SwapFiles.ensure(state.root(), toBoot, state.swapMb());
                backend.boot(toBoot);
                log("added nodes " + join(toBoot) + (skipped.isEmpty() ? "" : " (skipped, already up: " + join(skipped) + ")"));
            } finally {
                recordMembership();
            }
            return join(upNodes()) + "\n" + join(skipped);
        }
    }

    private CrashReport crash(int node) {
        synchronized (membership) {
            checkNotStopping();
            ClusterArgs.checkNodeRange(node);
            List<Integer> up = upNodes();
            if (!up.contains(node)) {
                throw new UserError("node " + node + " is not up in cluster " + id + " (nodes up: " + join(up) + ")");
            }
            if (up.size() == 1) {
                throw new UserError("node " + node + " is the only node up in cluster " + id
                        + " and the last node cannot be removed (ssi-stop " + id + " ends the cluster)");
            }
            try {
                CrashReport report = backend.crash(node);
                log("crashed node " + node + ", services moved: " + report.servicesMovedTo());
                return report;
            } finally {
                recordMembership();
            }
        }
    }

    private void exec(ManagerProtocol client, int node, Duration timeout, boolean keys) throws IOException {
        ManagerProtocol.Frame command = client.readFrame();
        if (command == null || command.type() != ManagerProtocol.DATA) {
            throw new UserError("EXEC needs the command line as a data frame");
        }
        checkUp(node);
        // A client that goes away (Ctrl-C on ssilab exec) sends nothing more, so end of stream means it left:
        // interrupt the backend so the command does not run on until its timeout for nobody.
        Thread runner = Thread.currentThread();
        Object lock = new Object();
        boolean[] finished = {false};
        java.io.PipedOutputStream keyboard = new java.io.PipedOutputStream();
        java.io.PipedInputStream keysIn = keys ? new java.io.PipedInputStream(keyboard, 4096) : null;
        Thread watcher = new Thread(() -> {
            try {
                ManagerProtocol.Frame f;
                while ((f = client.readFrame()) != null) {
                    // an EXEC ... KEYS client sends the learner's keys; END when it has no more
                    if (keys && f.type() == ManagerProtocol.DATA) {
                        keyboard.write(f.payload());
                        keyboard.flush();
                    } else if (keys && f.type() == ManagerProtocol.END) {
                        keyboard.close();
                    }
                }
            } catch (IOException e) {
                // the connection broke (the client is gone too), or the command ended and stopped reading keys
            }
            try {
                keyboard.close();
            } catch (IOException ignored) {
                // nothing reads the keys any more
            }
            synchronized (lock) {
                if (!finished[0]) {
                    log("exec client on node " + node + " left; ending its command");
                    runner.interrupt();
                }
            }
        }, "clusterd-exec-watch");
        watcher.setDaemon(true);
        watcher.start();
        int status;
        try {
            status = keys ? backend.exec(node, command.text(), timeout, keysIn, client.dataOutput())
                    : backend.exec(node, command.text(), timeout, client.dataOutput());
        } finally {
            synchronized (lock) {
                finished[0] = true;
            }
            Thread.interrupted(); // an interrupt for a client that left must not leak into the next request
        }
        client.writeExit(status);
    }

    /**
     * A console ends with a last line saying why when its node or the cluster was stopped, then exit
     * status 0: the learner's console window closes quietly, while a console whose manager vanished
     * (no exit frame) fails and its window stays open to show that.
     */
    private void console(ManagerProtocol client, int node, boolean raw) throws IOException {
        checkUp(node);
        ConsoleEnd end = new ConsoleEnd(client);
        consoles.add(end);
        try {
            client.onResize((rows, cols) -> backend.resizeConsole(node, rows, cols));
            backend.console(node, client.dataInput(), client.dataOutput(), raw);
            boolean up = nodeUp(node);
            end.end(backendClosed ? "cluster " + id + " stopped" : up ? null : "node " + node + " of cluster " + id + " stopped");
        } finally {
            consoles.remove(end); // after end(): a STOP meanwhile either sees it or finds it ended
        }
    }

    /** Whether node N is up; false when the backend cannot say (it is being closed). */
    private boolean nodeUp(int node) {
        try {
            NodeStatus status = statusByNode().get(node);
            return status != null && status.state().isUp();
        } catch (RuntimeException closing) {
            return false;
        }
    }

    /** Ends one console connection once: the console's own thread and a STOP may both try. */
    private static final class ConsoleEnd {
        private final ManagerProtocol client;
        private boolean ended;

        ConsoleEnd(ManagerProtocol client) {
            this.client = client;
        }

        /** Sends {@code why} (if any) as a last output line, then exit status 0. */
        synchronized void end(String why) {
            if (ended) {
                return;
            }
            ended = true;
            try {
                if (why != null) {
                    client.writeFrame(ManagerProtocol.DATA, "\n" + why + "\n");
                }
                client.writeExit(0);
            } catch (IOException gone) {
                // the client has left already: nobody to tell
            }
        }
    }

    private void stop(ManagerProtocol client) throws IOException {
        log("stop requested");
        shutDown();
        // Before this process exits, tell every console still attached why it ends.
        consoles.forEach(c -> c.end("cluster " + id + " stopped"));
        client.writeFrame(ManagerProtocol.OK, "");
        stopRequested.countDown();
    }

    /** Closes the socket and ends every node; safe to call more than once and from the shutdown hook. */
    private void shutDown() {
        synchronized (membership) {
            if (server != null) {
                try {
                    server.close();
                    Files.deleteIfExists(socket);
                } catch (IOException e) {
                    log("cannot remove socket " + socket + ": " + e.getMessage());
                }
                registry.removeExternalSocket(socket, id);
                server = null;
            }
            if (backend != null && !backendClosed) {
                backendClosed = true;
                try {
                    backend.close();
                } catch (RuntimeException e) {
                    log("backend close failed:\n" + stackTrace(e));
                }
            }
        }
    }

    private void checkNotStopping() {
        if (backendClosed) {
            throw new UserError("cluster " + id + " is stopping");
        }
    }

    private void checkUp(int node) {
        checkNotStopping();
        ClusterArgs.checkNodeRange(node);
        NodeStatus status = statusByNode().get(node);
        if (status == null || !status.state().isUp()) {
            throw new UserError("node " + node + " is not up in cluster " + id + " (nodes up: " + join(upNodes()) + ")");
        }
    }

    private void recordMembership() {
        List<Integer> up = upNodes();
        state = registry.update(id, s -> s.withNodesUp(up));
    }

    private List<Integer> upNodes() {
        List<Integer> up = new ArrayList<>();
        for (NodeStatus s : backend.nodes()) {
            if (s.state().isUp()) {
                up.add(s.node());
            }
        }
        up.sort(null);
        return up;
    }

    private Map<Integer, NodeStatus> statusByNode() {
        Map<Integer, NodeStatus> byNode = new TreeMap<>();
        backend.nodes().forEach(s -> byNode.put(s.node(), s));
        return byNode;
    }

    private static List<Integer> numbers(String[] words, int from, int to) {
        if (words.length < to || to <= from) {
            throw new UserError("request '" + String.join(" ", words) + "' lacks its node numbers");
        }
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(Integer.parseInt(words[i]));
        }
        return out;
    }

    static String formatNodes(List<NodeStatus> nodes) {
        StringBuilder out = new StringBuilder();
        for (NodeStatus s : nodes) {
            out.append(s.node()).append('\t').append(s.state().name());
            for (String service : s.services()) {
                out.append('\t').append(clean(service));
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String formatCrash(CrashReport report) {
        StringBuilder out = new StringBuilder().append(report.node()).append('\n');
        new TreeMap<>(report.servicesMovedTo()).forEach(
                (service, node) -> out.append(clean(service)).append('\t').append(node).append('\n'));
        return out.toString();
    }

    /** Tabs and newlines separate fields on the wire; a service name never needs them. */
    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ');
    }

    static String join(List<Integer> nodes) {
        return nodes.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    private void log(String message) {
        log.println(Instant.now() + " clusterd " + id + ": " + message);
        log.flush();
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
