package dev.ssilab.cluster.uml;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A node's console as the host sees it: the kernel gives con0 a host pty ({@code con0=pts}) and this
 * reads its other end for as long as the node runs, whether or not anyone is attached. So nothing the
 * node prints is lost (it all goes to console.log), a node never blocks on a full console, and an
 * attached learner gets every byte as it comes, raw: the node's own tty does echo, line editing and
 * signals, as a terminal on a real machine would.
 *
 * <p>The manager JVM is a session leader with no terminal, so opening this tty makes it the JVM's
 * controlling terminal, and the hangup when the kernel dies would send SIGHUP: the manager ignores
 * SIGHUP for that reason (see {@link IgnoreHangup}).
 */
final class PtsConsole implements Runnable {
    /** What an attaching learner is shown of what came before: enough for the last prompt and lines. */
    static final int REPLAY_BYTES = 1024;
    private static final int KEEP_LINES = 80;

    private final InputStream in;
    private final OutputStream toNode;
    private final Path log;
    private final List<OutputStream> attached = new CopyOnWriteArrayList<>();
    private final byte[] replay = new byte[REPLAY_BYTES];
    private int replayLength;
    private final Deque<String> tail = new ArrayDeque<>();
    private final StringBuilder line = new StringBuilder();
    private final CountDownLatch ended = new CountDownLatch(1);
    /** How many times the console's shell has ended: an attachment ends with the shell it was attached to. */
    private volatile int logouts;

    private PtsConsole(InputStream in, OutputStream toNode, Path log) {
        this.in = in;
        this.toNode = toNode;
        this.log = log;
    }

    /** Opens the host side of a node's console pty; its reader runs on a daemon thread. */
    static PtsConsole open(Path pts, Path log, String threadName) throws IOException {
        IgnoreHangup.install();
        FileInputStream in = new FileInputStream(pts.toFile());
        FileOutputStream out;
        try {
            out = new FileOutputStream(pts.toFile());
        } catch (IOException e) {
            in.close();
            throw e;
        }
        PtsConsole c = new PtsConsole(in, out, log);
        Thread t = new Thread(c, threadName);
        t.setDaemon(true);
        t.start();
        return c;
    }

    @Override
    public void run() {
        try (OutputStream logOut = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                logOut.write(buf, 0, n);
                logOut.flush();
                remember(buf, n);
                for (OutputStream o : attached) {
                    try {
                        o.write(buf, 0, n);
                        o.flush();
                    } catch (IOException e) {
                        // that learner left: the others still get it
                        attached.remove(o);
                    }
                }
            }
        } catch (IOException e) {
            // EIO: the kernel closed its side (the node stopped or crashed)
        } finally {
            ended.countDown();
            try {
                in.close();
                toNode.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private synchronized void remember(byte[] buf, int n) {
        if (n >= REPLAY_BYTES) {
            System.arraycopy(buf, n - REPLAY_BYTES, replay, 0, REPLAY_BYTES);
            replayLength = REPLAY_BYTES;
        } else {
            int keep = Math.min(replayLength, REPLAY_BYTES - n);
            System.arraycopy(replay, replayLength - keep, replay, 0, keep);
            System.arraycopy(buf, 0, replay, keep, n);
            replayLength = keep + n;
        }
        for (int i = 0; i < n; i++) {
            char c = (char) (buf[i] & 0xff);
            if (c == '\n') {
                tail.addLast(line.toString());
                line.setLength(0);
                if (tail.size() > KEEP_LINES) {
                    tail.removeFirst();
                }
            } else if (c != '\r' && line.length() < 4096) {
                line.append(c);
            }
        }
    }

    /**
     * Attaches a learner: {@code out} first gets the recent output (from a line start, so the last
     * prompt shows), then everything the node prints until {@link #detach}.
     */
    void attach(OutputStream out) throws IOException {
        byte[] recent;
        synchronized (this) {
            int from = 0;
            for (int i = 0; i < replayLength; i++) {
                if (replay[i] == '\n') {
                    from = i + 1;
                    break;
                }
            }
            recent = Arrays.copyOfRange(replay, replayLength == REPLAY_BYTES ? from : 0, replayLength);
            attached.add(out);
        }
        out.write(recent);
        out.flush();
    }

    void detach(OutputStream out) {
        attached.remove(out);
    }

    /** Sends keys to the node's console, as typed on its terminal. */
    void type(byte[] keys, int off, int len) throws IOException {
        synchronized (toNode) {
            toNode.write(keys, off, len);
            toNode.flush();
        }
    }

    /** The console's login shell ended (init says so): attached learners are let go. */
    void loggedOut() {
        logouts++;
    }

    int logouts() {
        return logouts;
    }

    boolean ended() {
        return ended.getCount() == 0;
    }

    void awaitEnd(long millis) throws InterruptedException {
        ended.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The last lines the console showed, oldest first (for a boot that failed). */
    synchronized List<String> tail() {
        return List.copyOf(tail);
    }
}
