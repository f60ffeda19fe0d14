package dev.ssilab.cluster;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Answers the manager's requests (PING, NODES, ADD, CRASH, EXEC, CONSOLE, STOP; see
 * {@link ManagerProtocol}): checks each request's words, hands membership changes to
 * {@link ManagedNodes} and runs execs and consoles on the backend, concurrently.
 */
final class ManagerRequests {
    private final int id;
    private final ClusterBackend backend;
    private final ManagedNodes nodes;
    private final ManagerLog log;
    private final Path logFile;
    private final Runnable shutDown;
    private final Runnable stopped;

    /** Console connections not yet ended: a STOP ends them, as this process exits right after. */
    private final Set<ConsoleEnd> consoles = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param shutDown closes the socket and ends the nodes (a STOP does it before answering)
     * @param stopped  tells the manager it may exit, once a STOP is answered
     */
    ManagerRequests(int id, ClusterBackend backend, ManagedNodes nodes, ManagerLog log, Path logFile,
                    Runnable shutDown, Runnable stopped) {
        this.id = id;
        this.backend = backend;
        this.nodes = nodes;
        this.log = log;
        this.logFile = logFile;
        this.shutDown = shutDown;
        this.stopped = stopped;
    }

    /** Answers one request; a refusal or a failure goes to the client as one F line. */
    void answer(ManagerProtocol client, String header) throws IOException {
        try {
            answer(client, ManagerProtocol.words(header));
        } catch (UserError e) {
            client.writeFrame(ManagerProtocol.FAIL, e.getMessage());
        } catch (RuntimeException e) {
            log.line("request '" + header + "' failed:\n" + ManagerLog.stackTrace(e));
            client.writeFrame(ManagerProtocol.FAIL, "the manager of cluster " + id + " failed: " + e
                    + " (details in " + logFile + ")");
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
                client.writeFrame(ManagerProtocol.OK, nodes.add(numbers(words, 1, words.length)));
            }
            case ManagerProtocol.CRASH -> {
                arity(words, 2, 2, "CRASH N");
                client.writeFrame(ManagerProtocol.OK, formatCrash(nodes.crash(numbers(words, 1, 2).get(0))));
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

    private void exec(ManagerProtocol client, int node, Duration timeout, boolean keys) throws IOException {
        ManagerProtocol.Frame command = client.readFrame();
        if (command == null || command.type() != ManagerProtocol.DATA) {
            throw new UserError("EXEC needs the command line as a data frame");
        }
        nodes.checkUp(node);
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
                    log.line("exec client on node " + node + " left; ending its command");
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
        nodes.checkUp(node);
        ConsoleEnd end = new ConsoleEnd(client);
        consoles.add(end);
        try {
            client.onResize((rows, cols) -> backend.resizeConsole(node, rows, cols));
            backend.console(node, client.dataInput(), client.dataOutput(), raw);
            boolean up = nodes.isUp(node);
            end.end(nodes.closed() ? "cluster " + id + " stopped" : up ? null : "node " + node + " of cluster " + id + " stopped");
        } finally {
            consoles.remove(end); // after end(): a STOP meanwhile either sees it or finds it ended
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
        log.line("stop requested");
        shutDown.run();
        // Before this process exits, tell every console still attached why it ends.
        consoles.forEach(c -> c.end("cluster " + id + " stopped"));
        client.writeFrame(ManagerProtocol.OK, "");
        stopped.run();
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
}
