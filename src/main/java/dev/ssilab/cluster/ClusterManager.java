package dev.ssilab.cluster;

import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.UserError;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The cluster manager process ({@code ssilab clusterd ID}): owns one cluster's backend, boots its nodes,
 * records membership in the registry, and serves clients on the cluster's AF_UNIX socket until STOP.
 *
 * <p>This class runs the manager's life (start, serve, stop, end the nodes however the process ends);
 * its parts are the socket ({@link ManagerSocket}), the requests ({@link ManagerRequests}) and the
 * node bookkeeping ({@link ManagedNodes}). Membership changes (add, crash, stop) are serialised so the
 * state file always matches the backend; exec and console run concurrently. The wire protocol is
 * described in {@link ManagerProtocol}.
 */
public final class ClusterManager {
    private final Registry registry;
    private final int id;
    private final ManagerLog log;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "clusterd-deadline");
        t.setDaemon(true);
        return t;
    });
    /** Records membership after a node ended by itself: off the backend's thread, one at a time. */
    private final ExecutorService nodeEvents = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clusterd-node-events");
        t.setDaemon(true);
        return t;
    });

    private ManagedNodes nodes;
    private ManagerSocket socket;

    public ClusterManager(SsilabPaths paths, int id, PrintStream log) {
        this.registry = new Registry(paths);
        this.id = id;
        this.log = new ManagerLog(log, id);
    }

    /** Boots nodes 1..N, serves clients until a STOP request, then ends the nodes and returns. */
    public void run() throws InterruptedException {
        ClusterState state = registry.read(id).orElseThrow(
                () -> new UserError("no cluster " + id + " in " + registry.root() + " (ssi-start creates clusters)"));
        if (state.phase() != ClusterState.Phase.STARTING) {
            throw new UserError("cluster " + id + " already has a manager (pid " + state.pid() + ")");
        }
        ProcessHandle self = ProcessHandle.current();
        state = registry.update(id, s -> s.withOwner(self.pid(), self.info().startInstant().orElse(null)));
        BackendProvider provider = Backends.find(state.backend());
        StartRequest request = state.request();
        log.line("starting cluster " + id + ": backend " + provider.name() + ", " + request.nodes() + " nodes, root " + request.root());
        ClusterBackend backend = provider.create(id, request, registry.dir(id));
        nodes = new ManagedNodes(registry, id, state, backend, log);
        ManagerRequests requests = new ManagerRequests(id, backend, nodes, log, registry.logFile(id),
                this::shutDown, stopRequested::countDown);
        socket = new ManagerSocket(registry, id, log, requests, deadlines);
        // A node that ends by itself (its kernel killed from outside) must leave ssi-ls too, not only exec.
        backend.onNodeExit(() -> nodeEvents.execute(nodes::nodeEnded));
        // SIGTERM or SIGINT to the manager must still end the nodes (real UML kernels would outlive it).
        Thread hook = new Thread(this::shutDown, "clusterd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<Integer> first = IntStream.rangeClosed(1, request.nodes()).boxed().collect(Collectors.toList());
            SwapFiles.ensure(request.root(), first, request.swapMb());
            backend.boot(first);
            log.line("booted nodes " + ClusterMessages.join(first));
            Path path = socket.listen();
            nodes.running(path);
            log.line("ready on " + path);
            socket.start();
            deadlines.scheduleWithFixedDelay(this::stopIfOrphaned, 10, 10, TimeUnit.SECONDS);
            stopRequested.await();
            log.line("stopped");
        } finally {
            shutDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyExiting) {
                // the hook is running or has run: it did the same work
            }
        }
    }

    /**
     * A manager whose cluster folder is gone (its state folder deleted, as a test's temporary folder
     * is) can never be found or stopped by ssi-stop again: it stops itself and its nodes.
     */
    private void stopIfOrphaned() {
        if (!Files.isDirectory(registry.dir(id))) {
            log.line("cluster folder " + registry.dir(id) + " is gone: nobody can reach this cluster any more; stopping");
            stopRequested.countDown();
        }
    }

    /** Closes the socket and ends every node; safe to call more than once and from the shutdown hook. */
    private void shutDown() {
        nodes.shutDown(socket::close);
    }
}
