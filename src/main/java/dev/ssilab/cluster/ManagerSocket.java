package dev.ssilab.cluster;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The manager's AF_UNIX socket: accepts only its own user, gives each connection a bounded time to
 * send its request header, bounds the requests served at once, and hands each header to
 * {@link ManagerRequests}. A client that connects and sends nothing, or a flood of them, costs
 * neither a thread for ever nor the other clients their turn.
 */
final class ManagerSocket {
    /** How long a client may take to send its request header before the manager hangs up. */
    static final Duration HEADER_DEADLINE = Duration.ofSeconds(10);
    /** Connections still sending their header; past this the oldest is dropped, so a flood cannot lock clients out. */
    static final int MAX_WAITING = 32;
    /** Requests served at once (consoles and execs last long); past this a request is refused with an F line. */
    static final int MAX_SERVING = 128;

    private final Registry registry;
    private final int id;
    private final ManagerLog log;
    private final ManagerRequests requests;
    private final ScheduledExecutorService deadlines;
    // Bounded: a client that connects and sends nothing must not cost a thread for ever (see MAX_WAITING).
    private final ThreadPoolExecutor clients = new ThreadPoolExecutor(0, MAX_WAITING + MAX_SERVING,
            30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "clusterd-client");
                t.setDaemon(true);
                return t;
            });
    /** Connections accepted whose header has not arrived yet, oldest first. */
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final AtomicInteger serving = new AtomicInteger();
    private UserPrincipal owner;
    private ServerSocketChannel server;
    private Path socket;

    /** {@code deadlines} runs the header deadlines. */
    ManagerSocket(Registry registry, int id, ManagerLog log, ManagerRequests requests, ScheduledExecutorService deadlines) {
        this.registry = registry;
        this.id = id;
        this.log = log;
        this.requests = requests;
        this.deadlines = deadlines;
    }

    /** Binds the cluster's socket and returns its path; clients are served once {@link #start()} is called. */
    Path listen() {
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
        return socket;
    }

    /** Accepts clients on a thread of its own until {@link #close()}. */
    void start() {
        Thread acceptor = new Thread(this::acceptLoop, "clusterd-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Stops accepting and removes the socket; safe to call more than once, and before {@link #listen()}. */
    void close() {
        if (server != null) {
            try {
                server.close();
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                log.line("cannot remove socket " + socket + ": " + e.getMessage());
            }
            registry.removeExternalSocket(socket, id);
            server = null;
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
                log.line("accept failed: " + e);
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
            log.line("refused a connection from user " + peer.getName());
            new ManagerProtocol(client).writeFrame(ManagerProtocol.FAIL,
                    "the manager of cluster " + id + " serves only its own user (" + owner.getName() + ")");
        } catch (IOException | UnsupportedOperationException e) {
            log.line("refused a connection whose user is unknown: " + e.getMessage());
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
                    log.line("client connection ended: " + e.getMessage());
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
                requests.answer(client, header);
            } finally {
                serving.decrementAndGet();
            }
        } catch (IOException e) {
            log.line("client connection ended: " + e.getMessage());
        }
    }
}
