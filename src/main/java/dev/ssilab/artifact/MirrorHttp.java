package dev.ssilab.artifact;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The HTTP exchange with a mirror: a connection with ssilab's timeouts and headers, its status code
 * with the head of the answer bounded in time, and every way it can fail said as one short reason
 * (a {@link MirrorFailure}) that tells the learner what to do.
 */
final class MirrorHttp {
    private final Duration connectTimeout;
    private final Duration readTimeout;

    MirrorHttp(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** How long a read may wait for a byte; transfers also measure their minimum rate over this window. */
    Duration readTimeout() {
        return readTimeout;
    }

    HttpURLConnection open(URI u) throws MirrorFailure {
        try {
            HttpURLConnection c = (HttpURLConnection) u.toURL().openConnection();
            c.setConnectTimeout((int) connectTimeout.toMillis());
            c.setReadTimeout((int) readTimeout.toMillis());
            c.setUseCaches(false);
            c.setRequestProperty("User-Agent", "ssilab/" + Artifacts.ssilabVersion());
            c.setRequestProperty("Accept-Encoding", "identity");
            return c;
        } catch (IOException | IllegalArgumentException e) {
            throw new MirrorFailure("bad URL " + u + ": " + e.getMessage());
        }
    }

    /**
     * Connects and returns the status code, turning network failures into one short reason.
     *
     * <p>The read timeout only catches silence: a server that drips the head of its answer (status line,
     * headers) a byte at a time would keep {@code getResponseCode()} waiting forever, the body's minimum
     * rate being out of reach there. So a watchdog closes the connection once the head (redirects
     * included) has taken longer than the read timeout in all; it fires a little after the read timeout
     * itself, so that a server that sends nothing at all still gets the plainer "timed out" reason.
     */
    int status(HttpURLConnection c, URI u) throws MirrorFailure {
        try {
            c.connect(); // bounded by the connect timeout; the watchdog's time starts once connected
        } catch (IOException e) {
            throw new MirrorFailure(networkReason(e, u));
        }
        java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ScheduledFuture<?> dog = Watchdog.TIMER.schedule(() -> {
            late.set(true);
            c.disconnect(); // closes the socket under the blocked read, which then fails at once
        }, readTimeout.toMillis() + HEAD_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            int code = c.getResponseCode();
            dog.cancel(false);
            if (late.get()) {
                throw new MirrorFailure(headTooSlow(u));
            }
            return code;
        } catch (IOException | RuntimeException e) {
            dog.cancel(false);
            // once disconnected under it, the JDK's client may fail in odd ways (even a NullPointerException)
            if (late.get()) {
                throw new MirrorFailure(headTooSlow(u));
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new MirrorFailure(networkReason((IOException) e, u));
        }
    }

    /** How much longer than the read timeout the head of an answer may take in all (see {@link #status}). */
    private static final long HEAD_GRACE_MILLIS = 2_000;

    private String headTooSlow(URI u) {
        return "timed out waiting for " + hostPort(u) + ": the head of its answer did not arrive within "
                + (readTimeout.toMillis() + HEAD_GRACE_MILLIS) / 1000 + " s (it kept trickling in);"
                + " the mirror is overloaded or stalled, try again later or use another mirror";
    }

    /** One daemon thread, made on first use, that closes connections whose answer is overdue. */
    private static final class Watchdog {
        static final java.util.concurrent.ScheduledExecutorService TIMER =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "ssilab-fetch-watchdog");
                    t.setDaemon(true);
                    return t;
                });
    }

    private static String hostPort(URI u) {
        return u.getHost() + ":" + (u.getPort() < 0 ? 80 : u.getPort());
    }

    static long contentRangeStart(HttpURLConnection c) {
        String cr = c.getHeaderField("Content-Range"); // bytes FIRST-LAST/SIZE
        if (cr == null || !cr.startsWith("bytes ")) {
            return -1;
        }
        try {
            return Long.parseLong(cr.substring(6, cr.indexOf('-')).strip());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    static String httpReason(int code, HttpURLConnection c) {
        String msg = "";
        try {
            msg = c.getResponseMessage() == null ? "" : " " + c.getResponseMessage();
        } catch (IOException ignored) {
            // the code alone says enough
        }
        if (msg.length() > 80) {
            msg = msg.substring(0, 80) + "..."; // the reason phrase is the server's to choose, at any length
        }
        if (code >= 300 && code < 400) {
            // The JDK follows http-to-http redirects itself; one that reaches here points elsewhere
            // (https, ftp, file:...) or nowhere: say where, rather than a bare "HTTP 302".
            String to = c.getHeaderField("Location");
            if (to == null || to.isBlank()) {
                return "HTTP " + code + msg + " with no address to go to; the mirror is misconfigured: use another mirror";
            }
            if (to.length() > 120) {
                to = to.substring(0, 120) + "...";
            }
            return "HTTP " + code + msg + ": it redirects to " + to + ", which ssilab does not follow"
                    + " (only redirects to http:// addresses are); fetch that address yourself if you trust it";
        }
        if (code < 100 || code > 599) {
            return "its answer is not HTTP" + (code < 0 ? "" : " (status " + code + ")") + ": is " + hostPort(c) + " an ssilab mirror?"
                    + " ('ssilab mirror serve' prints the URL to use)";
        }
        return switch (code) {
            case 404 -> "HTTP 404 Not Found: the mirror has no such file";
            case 401, 403 -> "HTTP " + code + msg + ": the mirror refuses to serve it; use another mirror,"
                    + " or ask whoever runs it";
            default -> "HTTP " + code + msg + (code >= 500 ? ": the mirror failed; try again later, or use another mirror"
                    : ": check the URL, or use another mirror");
        };
    }

    private static String hostPort(HttpURLConnection c) {
        java.net.URL u = c.getURL();
        return u.getHost() + ":" + (u.getPort() < 0 ? 80 : u.getPort());
    }

    static String networkReason(IOException e, URI u) {
        String hostPort = u.getHost() + ":" + (u.getPort() < 0 ? 80 : u.getPort());
        if (e instanceof ConnectException) {
            return "connection refused by " + hostPort + ": is 'ssilab mirror serve' running there?";
        }
        if (e instanceof SocketTimeoutException) {
            return "timed out waiting for " + hostPort;
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + u.getHost();
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to " + hostPort;
        }
        if (e instanceof FileNotFoundException) {
            return "HTTP 404 Not Found: the mirror has no such file";
        }
        if (e instanceof InterruptedIOException) {
            return "interrupted";
        }
        String msg = String.valueOf(e.getMessage());
        // The JDK's own words for these two say little to a learner (and nothing of what to do).
        if (msg.startsWith("Unexpected end of file from server")) {
            return hostPort + " closed the connection without answering: is it an ssilab mirror?"
                    + " ('ssilab mirror serve' prints the URL to use)";
        }
        if (e instanceof java.net.ProtocolException && msg.contains("redirected too many")) {
            return "too many redirects from " + hostPort + " (a redirect loop): the mirror is misconfigured;"
                    + " use another mirror";
        }
        if (msg.length() > 160) {
            msg = msg.substring(0, 160) + "...";
        }
        return "network error from " + hostPort + ": " + msg + " (try again later, or use another mirror)";
    }
}
