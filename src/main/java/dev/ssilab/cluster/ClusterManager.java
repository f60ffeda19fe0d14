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
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** How long a client may take to send its request header before the manager hangs up. */
    static final Duration HEADER_DEADLINE = Duration.ofSeconds(10);
    /** Connections still sending their header; past this the oldest is dropped, so a flood cannot lock clients out. */
    static final int MAX_WAITING = 32;
    /** Requests served at once (consoles and execs last long); past this a request is refused with an F line. */
    static final int MAX_SERVING = 128;

    // Bounded: a client that connects and sends nothing must not cost a thread for ever (see MAX_WAITING).
    private final ThreadPoolExecutor clients = new ThreadPoolExecutor(0, MAX_WAITING + MAX_SERVING,
            30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "clusterd-client");
                t.setDaemon(true);
                return t;
            });
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "clusterd-deadline");
        t.setDaemon(true);
        return t;
    });
    /** Records membership after a node ended by itself: off the backend's thread, one at a time. */
    private final java.util.concurrent.ExecutorService nodeEvents = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clusterd-node-events");
        t.setDaemon(true);
        return t;
    });
    /** Connections accepted whose header has not arrived yet, oldest first. */
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final AtomicInteger serving = new AtomicInteger();
    private UserPrincipal owner;

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
        // A node that ends by itself (its kernel killed from outside) must leave ssi-ls too, not only exec.
        backend.onNodeExit(() -> nodeEvents.execute(this::nodeEnded));
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
            deadlines.scheduleWithFixedDelay(this::stopIfOrphaned, 10, 10, TimeUnit.SECONDS);
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
            // Only the learner may talk to the manager (EXEC runs commands on the nodes): the socket sits in a
            // 0700 folder and is itself 0600, whatever the umask made of it at bind.
            Registry.makePrivate(socket.getParent());
            Files.deleteIfExists(socket);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            owner = Files.getOwner(socket);
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
            if (!samePeer(client)) {
                continue;
            }
            Waiting w = new Waiting(client);
            synchronized (waiting) {
                if (waiting.size() >= MAX_WAITING) {
                    waiting.removeFirst().hangUp("no request after " + MAX_WAITING + " newer connections came; connect again");
                }
                waiting.addLast(w);
            }
            w.deadline = deadlines.schedule(() -> w.hangUp("no request within " + HEADER_DEADLINE.toSeconds() + " s"),
                    HEADER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            try {
                clients.execute(() -> serve(w));
            } catch (RejectedExecutionException e) {
                w.hangUp("the manager of cluster " + id + " is serving " + MAX_SERVING + " requests already; try again later");
            }
        }
    }

    /** Refuses (one F line) a peer that runs as another user; true for the manager's own user. */
    private boolean samePeer(SocketChannel client) {
        try {
            UserPrincipal peer = client.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user();
            if (peer.equals(owner)) {
                return true;
            }
            log("refused a connection from user " + peer.getName());
            new ManagerProtocol(client).writeFrame(ManagerProtocol.FAIL,
                    "the manager of cluster " + id + " serves only its own user (" + owner.getName() + ")");
        } catch (IOException | UnsupportedOperationException e) {
            log("refused a connection whose user is unknown: " + e.getMessage());
        }
        close(client);
        return false;
    }

    /** A connection until its header is read: the deadline, or a flood of newer ones, may hang it up first. */
    private final class Waiting {
        final SocketChannel channel;
        volatile ScheduledFuture<?> deadline;
        private boolean settled;

        Waiting(SocketChannel channel) {
            this.channel = channel;
        }

        /** True if the header came in time: from now on the connection is its request's. */
        synchronized boolean headerRead() {
            if (settled) {
                return false;
            }
            settled = true;
            forget();
            return true;
        }

        /** Tells the client why in one F line and closes; nothing if its header was read already. */
        void hangUp(String why) {
            synchronized (this) {
                if (settled) {
                    return;
                }
                settled = true;
            }
            forget();
            try {
                new ManagerProtocol(channel).writeFrame(ManagerProtocol.FAIL, why);
            } catch (IOException gone) {
                // the client left already
            }
            close(channel);
        }

        private void forget() {
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            synchronized (waiting) {
                waiting.remove(this);
            }
        }
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private void serve(Waiting w) {
        try (ManagerProtocol client = new ManagerProtocol(w.channel)) {
            String header;
            try {
                header = client.readHeader();
            } catch (ManagerProtocol.BadHeader e) {
                if (w.headerRead()) {
                    client.writeFrame(ManagerProtocol.FAIL, e.getMessage());
                }
                return;
            } catch (IOException e) {
                if (w.headerRead()) {
                    log("client connection ended: " + e.getMessage());
                }
                return; // else hung up (deadline or flood): it has been told
            }
            if (!w.headerRead() || header == null) {
                return;
            }
            if (serving.incrementAndGet() > MAX_SERVING) {
                serving.decrementAndGet();
                client.writeFrame(ManagerProtocol.FAIL,
                        "the manager of cluster " + id + " is serving " + MAX_SERVING + " requests already; try again later");
                return;
            }
            try {
                answer(client, ManagerProtocol.words(header));
            } catch (UserError e) {
                client.writeFrame(ManagerProtocol.FAIL, e.getMessage());
            } catch (RuntimeException e) {
                log("request '" + header + "' failed:\n" + stackTrace(e));
                client.writeFrame(ManagerProtocol.FAIL, "the manager of cluster " + id + " failed: " + e
                        + " (details in " + registry.logFile(id) + ")");
            } finally {
                serving.decrementAndGet();
            }
        } catch (IOException e) {
            log("client connection ended: " + e.getMessage());
        }
    }

    private void answer(ManagerProtocol client, String[] words) throws IOException {
        String verb = words[0];
        switch (verb) {
            case ManagerProtocol.PING -> {
                arity(words, 1, 1, "PING");
                client.writeFrame(ManagerProtocol.OK, ManagerProtocol.VERSION + "\t" + backend.name() + "\t" + id);
            }
            case ManagerProtocol.NODES -> {
                arity(words, 1, 1, "NODES");
                client.writeFrame(ManagerProtocol.OK, formatNodes(backend.nodes()));
            }
            case ManagerProtocol.ADD -> {
                arity(words, 2, 1 + ClusterArgs.MAX_NODES, "ADD N...");
                client.writeFrame(ManagerProtocol.OK, add(numbers(words, 1, words.length)));
            }
            case ManagerProtocol.CRASH -> {
                arity(words, 2, 2, "CRASH N");
                client.writeFrame(ManagerProtocol.OK, formatCrash(crash(numbers(words, 1, 2).get(0))));
            }
            case ManagerProtocol.EXEC -> {
                arity(words, 3, 4, "EXEC N TIMEOUT_MS [KEYS]");
                flag(words, 3, ManagerProtocol.KEYS, "EXEC N TIMEOUT_MS [KEYS]");
                exec(client, numbers(words, 1, 2).get(0), Duration.ofMillis(timeoutMs(words[2])), words.length > 3);
            }
            case ManagerProtocol.CONSOLE -> {
                arity(words, 2, 3, "CONSOLE N [RAW]");
                flag(words, 2, ManagerProtocol.RAW, "CONSOLE N [RAW]");
                console(client, numbers(words, 1, 2).get(0), words.length > 2);
            }
            case ManagerProtocol.STOP -> {
                arity(words, 1, 1, "STOP");
                stop(client);
            }
            default -> client.writeFrame(ManagerProtocol.FAIL,
                    "unknown request '" + ManagerProtocol.shorten(verb) + "' (this cluster manager speaks " + ManagerProtocol.VERSION + ")");
        }
    }

    private static void arity(String[] words, int min, int max, String usage) {
        if (words.length < min || words.length > max) {
            throw new UserError("malformed request '" + ManagerProtocol.shorten(String.join(" ", words)) + "' (expected " + usage + ")");
        }
    }

    private static void flag(String[] words, int index, String flag, String usage) {
        if (words.length > index && !words[index].equals(flag)) {
            throw new UserError("malformed request '" + ManagerProtocol.shorten(String.join(" ", words)) + "' (expected " + usage + ")");
        }
    }

    private static long timeoutMs(String word) {
        try {
            long ms = Long.parseLong(word);
            if (ms > 0) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UserError("malformed request: timeout '" + ManagerProtocol.shorten(word) + "' is not a positive number of milliseconds");
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
    /**
     * A manager whose cluster folder is gone (its state folder deleted, as a test's temporary folder
     * is) can never be found or stopped by ssi-stop again: it stops itself and its nodes.
     */
    private void stopIfOrphaned() {
        if (!java.nio.file.Files.isDirectory(registry.dir(id))) {
            log("cluster folder " + registry.dir(id) + " is gone: nobody can reach this cluster any more; stopping");
            stopRequested.countDown();
        }
    }

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

    /** Records the membership after a node ended by itself; nothing once the cluster is stopping. */
    private void nodeEnded() {
        synchronized (membership) {
            if (backendClosed) {
                return;
            }
            try {
                recordMembership();
                log("a node ended by itself; nodes up: " + join(state.nodesUp()));
            } catch (RuntimeException e) {
                log("cannot record the membership after a node ended:\n" + stackTrace(e));
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
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (!words[i].matches("[0-9]{1,9}")) {
                throw new UserError("malformed request: '" + ManagerProtocol.shorten(words[i]) + "' is not a node number");
            }
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
