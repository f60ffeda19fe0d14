package dev.ssilab.artifact;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A workshop mirror: serves the files of one folder (the artifacts and their MANIFEST) over HTTP with
 * GET, HEAD and single byte ranges, so downloads can resume. Only plain file names directly inside
 * the folder are served: no sub-folders, no hidden files, no {@code ..}.
 *
 * <p>The tutor starts one on 127.0.0.1 (port 0) when the learner has no mirror configured;
 * {@code ssilab mirror serve} starts one for a whole room.
 */
public final class MirrorServer implements AutoCloseable {
    /**
     * A room of learners downloading at once, plus room for connections still sending their request:
     * transfers beyond this wait for a free thread. Bounded, so a flood of connections cannot exhaust the machine.
     */
    private static final int THREADS = 128;
    /** A request (line and headers) must be fully read within this; a half-sent one is cut to free its thread. */
    static final java.time.Duration REQUEST_TIMEOUT = java.time.Duration.ofSeconds(10);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Path dir;
    private final HttpServer server;
    private final ExecutorService pool;
    private final Consumer<String> log;
    private final RequestWatch watch;

    private MirrorServer(Path dir, HttpServer server, ExecutorService pool, Consumer<String> log, RequestWatch watch) {
        this.dir = dir;
        this.server = server;
        this.pool = pool;
        this.log = log;
        this.watch = watch;
    }

    /**
     * The JDK server reads a request's line and headers on a pool thread, with no time limit: a client
     * that sends half a request would hold that thread forever, and enough of them starve everyone.
     * Each pool thread is watched from when it starts on a connection until the request reaches
     * {@link #handle}; past the timeout it is interrupted, which closes that connection.
     */
    private static final class RequestWatch {
        private final java.util.Map<Thread, Long> reading = new java.util.HashMap<>();
        private final long timeoutNanos;

        RequestWatch(java.time.Duration timeout) {
            this.timeoutNanos = timeout.toNanos();
        }

        synchronized void started(Thread t) {
            reading.put(t, System.nanoTime());
        }

        /** The request was read in time: false if it was cut (the thread is interrupted, its connection closed). */
        synchronized boolean read(Thread t) {
            return reading.remove(t) != null;
        }

        synchronized void finished(Thread t) {
            reading.remove(t);
        }

        synchronized void cutSlowOnes() {
            long now = System.nanoTime();
            for (var it = reading.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (now - e.getValue() > timeoutNanos) {
                    it.remove();
                    e.getKey().interrupt(); // its blocking read throws ClosedByInterruptException: the server closes it
                }
            }
        }
    }

    /**
     * Starts serving {@code dir} on {@code bind}:{@code port} (port 0 picks a free one). {@code log}
     * gets one line per request (pass {@code s -> {}} for silence).
     */
    public static MirrorServer start(Path dir, String bind, int port, Consumer<String> log) {
        return start(dir, bind, port, log, REQUEST_TIMEOUT);
    }

    static MirrorServer start(Path dir, String bind, int port, Consumer<String> log, java.time.Duration requestTimeout) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new ArtifactException("nothing to serve: folder " + root
                    + " does not exist (run 'ssilab artifacts build' first, or pass --dir)");
        }
        if (!Files.isRegularFile(root.resolve(Manifest.FILE_NAME))) {
            throw new ArtifactException("nothing to serve: " + root + " has no MANIFEST"
                    + " (run 'ssilab artifacts build' first, or pass --dir with built artifacts)");
        }
        if (port < 0 || port > 65535) {
            throw new ArtifactException("bad port " + port + ": use 1-65535, or 0 for any free port");
        }
        InetAddress addr;
        try {
            addr = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new ArtifactException("bad bind address '" + bind + "': use an IP of this machine, e.g. 127.0.0.1 or 0.0.0.0");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(addr, port), 64);
        } catch (BindException e) {
            throw new ArtifactException("cannot listen on " + bind + ":" + port + ": " + e.getMessage()
                    + " (pass another --port, or --port 0 for any free one)");
        } catch (IOException e) {
            throw new ArtifactException("cannot listen on " + bind + ":" + port + ": " + e.getMessage());
        }
        AtomicInteger n = new AtomicInteger();
        RequestWatch watch = new RequestWatch(requestTimeout);
        java.util.concurrent.ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mirror-watch");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(50, Math.min(1000, requestTimeout.toMillis() / 4));
        watchdog.scheduleWithFixedDelay(watch::cutSlowOnes, tick, tick, TimeUnit.MILLISECONDS);
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(THREADS, THREADS,
                30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "mirror-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                watch.started(t);
            }

            @Override
            protected void afterExecute(Runnable r, Throwable x) {
                watch.finished(Thread.currentThread());
                Thread.interrupted(); // a cut that came late must not hit the next connection
            }

            @Override
            protected void terminated() {
                watchdog.shutdownNow();
            }
        };
        pool.allowCoreThreadTimeOut(true); // idle threads go away: the bound is a ceiling, not a cost
        MirrorServer mirror = new MirrorServer(root, server, pool, log, watch);
        server.createContext("/", mirror::handle);
        server.setExecutor(pool);
        server.start();
        return mirror;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Path dir() {
        return dir;
    }

    /** The URL a client on this machine uses (127.0.0.1 when bound to all addresses). */
    public URI url() {
        InetAddress a = server.getAddress().getAddress();
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** URLs other machines can use: this machine's non-loopback addresses when bound to all of them. */
    public java.util.List<URI> roomUrls() {
        java.util.List<URI> urls = new java.util.ArrayList<>();
        if (!server.getAddress().getAddress().isAnyLocalAddress()) {
            return urls;
        }
        try {
            for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : java.util.Collections.list(nif.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) {
                        urls.add(URI.create("http://" + a.getHostAddress() + ":" + port() + "/"));
                    }
                }
            }
        } catch (java.net.SocketException e) {
            // no list then: the instructor knows the machine's address
        }
        return urls;
    }

    /**
     * Stops at once: JDK 17's HttpServer would otherwise wait out its whole grace delay. A transfer cut
     * this way is resumed by the client's next fetch.
     */
    public void stop() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!watch.read(Thread.currentThread())) {
                return; // too slow: already cut
            }
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath(); // already percent-decoded
            boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method)) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                sendText(ex, 405, "method not allowed: " + method + " (this mirror answers GET and HEAD)", head);
                return;
            }
            if (path == null || path.equals("/") || path.isEmpty()) {
                sendText(ex, 200, index(), head);
                logLine(ex, 200, -1);
                return;
            }
            String name = path.startsWith("/") ? path.substring(1) : path;
            Path file = Artifacts.isPlainName(name) ? dir.resolve(name).normalize() : null;
            // A link in the folder could point anywhere on the machine: only files that are really here are served.
            if (file == null || !dir.equals(file.getParent()) || !Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                sendText(ex, 404, "not found: " + name + " (see " + Manifest.FILE_NAME + " for what this mirror serves)", head);
                logLine(ex, 404, -1);
                return;
            }
            serveFile(ex, file, head);
        }
    }

    private void serveFile(HttpExchange ex, Path file, boolean head) throws IOException {
        long size = Files.size(file);
        Headers h = ex.getResponseHeaders();
        h.set("Accept-Ranges", "bytes");
        h.set("Content-Type", file.getFileName().toString().equals(Manifest.FILE_NAME)
                ? "text/plain; charset=utf-8" : "application/octet-stream");
        h.set("Last-Modified", HTTP_DATE.format(Files.getLastModifiedTime(file).toInstant()));
        ByteRange.Parsed parsed = ByteRange.parse(Optional.ofNullable(ex.getRequestHeaders().getFirst("Range")), size);
        long first = 0;
        long length = size;
        int status = 200;
        if (parsed instanceof ByteRange.Partial p) {
            first = p.range().first();
            length = p.range().length();
            status = 206;
            h.set("Content-Range", "bytes " + p.range().first() + "-" + p.range().last() + "/" + size);
        } else if (parsed instanceof ByteRange.Unsatisfiable) {
            h.set("Content-Range", "bytes */" + size);
            sendText(ex, 416, "range not satisfiable: '" + ex.getRequestHeaders().getFirst("Range")
                    + "' for a file of " + size + " bytes", head);
            logLine(ex, 416, -1);
            return;
        }
        h.set("Content-Length", Long.toString(length));
        if (head || length == 0) {
            ex.sendResponseHeaders(status, -1);
            logLine(ex, status, 0);
            return;
        }
        ex.sendResponseHeaders(status, length);
        long sent = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            OutputStream out = ex.getResponseBody();
            ByteBuffer buf = ByteBuffer.allocate(1 << 18);
            long pos = first;
            while (sent < length) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), length - sent));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    break; // the file shrank under us: the client sees a short body and retries
                }
                out.write(buf.array(), 0, n);
                pos += n;
                sent += n;
            }
            out.flush();
        } catch (IOException e) {
            logLine(ex, status, sent); // the client went away mid-way; it can resume
            return;
        }
        logLine(ex, status, sent);
    }

    private String index() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return "ssilab mirror of " + dir + "\n" + s.map(p -> p.getFileName().toString())
                    .filter(Artifacts::isPlainName).filter(n -> Files.isRegularFile(dir.resolve(n), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .sorted().collect(Collectors.joining("\n"));
        }
    }

    private static void sendText(HttpExchange ex, int status, String text, boolean head) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
        if (head) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private void logLine(HttpExchange ex, int status, long bytes) {
        String who = ex.getRemoteAddress() == null ? "?" : ex.getRemoteAddress().getAddress().getHostAddress();
        log.accept(who + " " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " " + status
                + (bytes >= 0 ? " " + bytes + " bytes" : ""));
    }
}
