package dev.ssilab.cluster;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Sends requests to one cluster's manager over its socket: one request per connection (see {@link ManagerProtocol}). */
final class ManagerClient {
    /** How long past its own timeout an exec may take before the client stops waiting for the manager. */
    private static final Duration EXEC_GRACE = Duration.ofSeconds(30);

    private final int id;
    private final Path socket;
    private final Path log;

    ManagerClient(int id, Path socket, Path log) {
        this.id = id;
        this.socket = socket;
        this.log = log;
    }

    /** A request answered by one K frame; its text, or a UserError carrying the manager's F line. */
    String call(String header) {
        try (ManagerProtocol manager = open()) {
            manager.writeHeader(header);
            return expect(manager.readFrame(), ManagerProtocol.OK).text();
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /**
     * True when this cluster's manager answers PING on the socket within {@code timeout}; false for no
     * socket, no answer, a stranger, or the manager of another cluster.
     */
    boolean answers(Duration timeout) {
        if (socket == null || !java.nio.file.Files.exists(socket)) {
            return false;
        }
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ping-watchdog");
            t.setDaemon(true);
            return t;
        });
        try (ManagerProtocol manager = open()) {
            watchdog.schedule(manager::close, timeout.toMillis(), TimeUnit.MILLISECONDS);
            manager.writeHeader(ManagerProtocol.PING);
            ManagerProtocol.Frame answer = manager.readFrame();
            if (answer == null || answer.type() != ManagerProtocol.OK || !answer.text().startsWith(ManagerProtocol.VERSION + "\t")) {
                return false;
            }
            // The manager of another cluster (a socket path from a tampered state file) is not this one's.
            String[] fields = answer.text().strip().split("\t");
            return fields.length < 3 || fields[2].equals(Integer.toString(id));
        } catch (IOException | UserError e) {
            return false;
        } finally {
            watchdog.shutdownNow();
        }
    }

    int exec(int node, String commandLine, Duration timeout, OutputStream out) {
        return exec(node, commandLine, timeout, null, out);
    }

    /**
     * @param keys the learner's keys for the command's terminal, or null; a thread interrupted while it
     *     waits (Ctrl-C in the tutor) closes the connection, which ends the command, and gets 130
     */
    int exec(int node, String commandLine, Duration timeout, InputStream keys, OutputStream out) {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "exec-watchdog");
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean gaveUp = new AtomicBoolean();
        try (ManagerProtocol manager = open()) {
            // A manager that never answers (a hung backend) must not hang the caller forever.
            watchdog.schedule(() -> {
                gaveUp.set(true);
                manager.close();
            }, timeout.plus(EXEC_GRACE).toMillis(), TimeUnit.MILLISECONDS);
            manager.writeHeader(ManagerProtocol.EXEC + " " + node + " " + timeout.toMillis() + (keys != null ? " " + ManagerProtocol.KEYS : ""));
            manager.writeFrame(ManagerProtocol.DATA, commandLine);
            if (keys != null) {
                Thread pump = new Thread(() -> pumpInput(keys, manager), "exec-keys");
                pump.setDaemon(true);
                pump.start();
            }
            return copyOutputUntilExit(manager, out).exitCode();
        } catch (java.nio.channels.ClosedByInterruptException e) {
            Thread.interrupted(); // the caller's Ctrl-C: the closed connection has ended the command
            return 130;
        } catch (AsynchronousCloseException e) {
            if (gaveUp.get()) {
                throw new UserError("the manager of cluster " + id + " did not finish the command within "
                        + timeout.plus(EXEC_GRACE).toSeconds() + " s (its log: " + log + ")");
            }
            throw lost(e);
        } catch (IOException e) {
            throw lost(e);
        } finally {
            watchdog.shutdownNow();
        }
    }

    /**
     * Connects {@code in} and {@code out} to node N's console until the node's shell ends or {@code in}
     * ends; {@code size}, when given, is the learner's terminal size, sent at once and on every change.
     */
    void console(int node, InputStream in, OutputStream out, boolean raw, TerminalSize size) {
        try (ManagerProtocol manager = open()) {
            manager.writeHeader(ManagerProtocol.CONSOLE + " " + node + (raw ? " " + ManagerProtocol.RAW : ""));
            if (size != null) {
                Runnable send = () -> size.current().ifPresent(rc -> {
                    try {
                        manager.writeSize(rc[0], rc[1]);
                    } catch (IOException e) {
                        // the console ended meanwhile
                    }
                });
                send.run();
                size.onChange(send);
            }
            // The keyboard pump is a daemon: a read on a terminal cannot be interrupted, and it must not
            // keep the JVM alive once the node's shell has ended.
            Thread pump = new Thread(() -> pumpInput(in, manager), "console-input");
            pump.setDaemon(true);
            pump.start();
            copyOutputUntilExit(manager, out);
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** Copies the node's output frames to {@code out} as they come; returns the closing EXIT frame. */
    private ManagerProtocol.Frame copyOutputUntilExit(ManagerProtocol manager, OutputStream out) throws IOException {
        while (true) {
            ManagerProtocol.Frame frame = manager.readFrame();
            if (frame == null || frame.type() != ManagerProtocol.DATA) {
                return expect(frame, ManagerProtocol.EXIT);
            }
            out.write(frame.payload());
            out.flush();
        }
    }

    private static void pumpInput(InputStream in, ManagerProtocol manager) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    manager.writeFrame(ManagerProtocol.DATA, buf, 0, n);
                }
            }
            manager.writeFrame(ManagerProtocol.END, new byte[0], 0, 0);
        } catch (IOException e) {
            // the console ended (connection closed) while we waited for a key: nothing left to send
        }
    }

    private ManagerProtocol open() {
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new ManagerProtocol(channel);
        } catch (IOException e) {
            throw new UserError("cannot reach the manager of cluster " + id + " at " + socket + ": " + e.getMessage()
                    + " (ssi-ls shows whether the cluster is stale)");
        }
    }

    private ManagerProtocol.Frame expect(ManagerProtocol.Frame frame, byte type) {
        if (frame == null) {
            throw new UserError("the manager of cluster " + id + " ended the connection without answering (its log: " + log + ")");
        }
        if (frame.type() == ManagerProtocol.FAIL) {
            throw new UserError(frame.text());
        }
        if (frame.type() != type) {
            throw new UserError("the manager of cluster " + id + " answered with an unexpected '" + (char) frame.type()
                    + "' frame (is it another ssilab version? its log: " + log + ")");
        }
        return frame;
    }

    private UserError lost(IOException e) {
        return new UserError("lost the connection to the manager of cluster " + id + ": " + e.getMessage()
                + " (its log: " + log + ")");
    }
}
