package dev.ssilab.cluster.uml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The reading side of one console line of a node (con0 on the kernel's stdout, or a command line):
 * logs every byte (con0: to console.log), keeps the last lines for diagnostics, spots the ready
 * marker, and hands lines to whoever listens (the running exec, an attached console).
 */
final class NodeConsole implements Runnable {
    static final String READY = "SSILAB-READY node ";
    /** init's word that the console's login shell ended (exit, Ctrl-D); it may share a line with output. */
    static final String LOGOUT = "SSILAB-LOGOUT node ";
    private static final int KEEP = 80;

    private final int node;
    private final InputStream in;
    private final Path log;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Deque<String> tail = new ArrayDeque<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile Runnable onLogout = () -> { };

    /** @param log file to append every byte to, or null for none */
    NodeConsole(int node, InputStream in, Path log) {
        this.node = node;
        this.in = in;
        this.log = log;
    }

    @Override
    public void run() {
        try (OutputStream logOut = log == null ? OutputStream.nullOutputStream()
                : Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                logOut.write(buf, 0, n);
                logOut.flush();
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        deliver(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else if (b != '\r') {
                        line.write(b);
                    }
                }
            }
            if (line.size() > 0) {
                deliver(line.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the kernel went away: its pipe closed
        } finally {
            ended.countDown();
        }
    }

    private void deliver(String line) {
        synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > KEEP) {
                tail.removeFirst();
            }
        }
        if (line.startsWith(READY + node)) {
            ready.countDown();
            return;
        }
        int logout = line.indexOf(LOGOUT + node);
        if (logout >= 0) {
            onLogout.run();
            line = line.substring(0, logout);
            if (line.isEmpty()) {
                return;
            }
        }
        for (Consumer<String> l : listeners) {
            l.accept(line);
        }
    }

    /** What to do when init says the console's shell ended. */
    void onLogout(Runnable action) {
        onLogout = action;
    }

    void listen(Consumer<String> listener) {
        listeners.add(listener);
    }

    void unlisten(Consumer<String> listener) {
        listeners.remove(listener);
    }

    /** Waits for the ready marker; false when the console ended or the time ran out first. */
    boolean awaitReady(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (ready.await(20, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (ended.getCount() == 0) {
                return ready.getCount() == 0;
            }
        }
        return false;
    }

    boolean ended() {
        return ended.getCount() == 0;
    }

    void awaitEnd(long millis) throws InterruptedException {
        ended.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The last lines the node printed, oldest first. */
    List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }
}
