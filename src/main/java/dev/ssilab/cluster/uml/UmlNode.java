package dev.ssilab.cluster.uml;

import dev.ssilab.cluster.ExecResult;
import dev.ssilab.state.UserError;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One running UML kernel: its process, its stdout, its console (con0, a host pty: the learner's
 * terminal), and its command channels (console lines con1.. with a control shell each).
 *
 * <p>A command is one line sent to a free channel's shell: {@code timeout -s KILL T env -u SSI_PLUMBING
 * sh -c 'CMD'} (the channel's shell and timeout are ssilab's plumbing, which the clusterwide ps leaves
 * out; the command itself runs without the mark, so ps shows it),
 * followed by an end marker whose text is split in the sent line ({@code "SSILAB-""END-7"}) so that
 * only the shell's output, never an echo, can complete it. One command per channel at a time, so a
 * node runs as many commands at once as it has channels.
 */
final class UmlNode {
    private static final Pattern END = Pattern.compile("SSILAB-END-(\\d+) (\\d+)");
    /** The command's first line: its process group (setsid made it one), for ending all of it early. */
    private static final Pattern GROUP = Pattern.compile("^SSILAB-PGID-(\\d+) (\\d+)$");
    /** A tty in canonical mode cuts lines at 4095 bytes. */
    static final int MAX_COMMAND_BYTES = 3500;

    final int node;
    final Process process;
    /** The kernel's stdout (logged to console.log with the console). */
    final NodeConsole kernelOut;
    /** The node's console, or null when the kernel never opened it (its boot then fails). */
    final PtsConsole console;
    private final List<CommandChannel> channels;
    private final BlockingDeque<CommandChannel> free;
    private final AtomicLong tokens = new AtomicLong();

    UmlNode(int node, Process process, NodeConsole kernelOut, PtsConsole console, List<CommandChannel> channels) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("a node needs at least one command channel");
        }
        this.node = node;
        this.process = process;
        this.kernelOut = kernelOut;
        this.console = console;
        this.channels = List.copyOf(channels);
        this.free = new LinkedBlockingDeque<>(channels);
        process.onExit().thenRun(this::closeChannels);
        if (console != null) {
            channels.get(0).out.onLogout(console::loggedOut);
        }
    }

    void closeChannels() {
        channels.forEach(CommandChannel::close);
    }

    /** Waits for init's ready line on the first command channel; false if the kernel ended or time ran out. */
    boolean awaitReady(long millis) throws InterruptedException {
        return channels.get(0).out.awaitReady(millis);
    }

    /** What the kernel printed last, on its stdout and on its console: for a boot that failed. */
    List<String> bootTail() {
        List<String> all = new java.util.ArrayList<>(kernelOut.tail());
        if (console != null) {
            all.addAll(console.tail());
        }
        return all;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Runs a command line in a fresh shell on the node, streaming its output; returns its exit status. */
    int exec(String commandLine, Duration timeout, OutputStream out) {
        checkCommand(commandLine);
        long secs = Math.max(1, (timeout.toMillis() + 999) / 1000);
        CommandChannel channel;
        try {
            channel = free.pollFirst(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExecResult.TIMED_OUT;
        }
        if (channel == null) {
            throw new UserError("node " + node + " is busy: " + channels.size() + " commands already run there; "
                    + "wait for one to end and try again");
        }
        boolean clean = false;
        try {
            if (!alive()) {
                throw new UserError("node " + node + " is not up (its kernel has exited)");
            }
            String token = Long.toString(tokens.incrementAndGet());
            CompletableFuture<Integer> done = new CompletableFuture<>();
            AtomicLong group = new AtomicLong();
            Consumer<String> listener = line -> {
                Matcher g = GROUP.matcher(line);
                if (group.get() == 0 && g.matches() && g.group(1).equals(token)) {
                    group.set(Long.parseLong(g.group(2)));
                    return;
                }
                Matcher m = END.matcher(line);
                if (m.find() && m.group(1).equals(token)) {
                    write(out, line.substring(0, m.start()), false);
                    done.complete(Integer.parseInt(m.group(2)));
                } else if (!done.isDone()) {
                    write(out, line, true);
                }
            };
            channel.out.listen(listener);
            long start = System.nanoTime();
            boolean finished = false;
            try {
                // shell.rc makes the clusterwide kill and ps win over busybox's own. setsid makes the
                // command a process group of its own, which the manager ends whole when the learner
                // cancels or the timeout strikes (timeout alone kills the shell, not what it started).
                String script = "[ -r /opt/ssi/lib/shell.rc ] && . /opt/ssi/lib/shell.rc\necho \"SSILAB-PGID-" + token + " $$\"\n" + commandLine;
                String quoted = "'" + script.replace("'", "'\\''") + "'";
                // Ctrl-U first: it clears anything left on the channel's line, so only this line runs.
                String line = "\u0015cd / && timeout -s KILL " + secs + " env -u SSI_PLUMBING setsid sh -c " + quoted
                        + " </dev/null 2>&1; echo \"SSILAB-\"\"END-" + token + "\" $?\n";
                channel.in.write(line.getBytes(StandardCharsets.UTF_8));
                channel.in.flush();
                int status = await(done, timeout.toMillis() + 5000);
                clean = true;
                boolean timedOut = status == 137 && System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(secs) - 200_000_000L;
                finished = !timedOut;
                return timedOut ? ExecResult.TIMED_OUT : status;
            } catch (TimeoutException e) {
                return ExecResult.TIMED_OUT;
            } catch (IOException e) {
                throw new UserError("node " + node + " is not up (its console closed: " + e.getMessage() + ")");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExecResult.TIMED_OUT;
            } finally {
                channel.out.unlisten(listener);
                flush(out);
                if (!finished && group.get() > 0) {
                    endGroup(group.get());
                }
            }
        } finally {
            // A channel whose end marker never came may still be busy: it goes to the back of the queue.
            if (clean) {
                free.addFirst(channel);
            } else {
                free.addLast(channel);
            }
        }
    }

    /**
     * Ends what is left of a command that was cancelled or timed out: its whole process group, on
     * another channel, in the background (every channel may be busy, and the caller must not wait).
     */
    private void endGroup(long pgid) {
        if (!alive()) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                exec("busybox kill -KILL -" + pgid + " 2>/dev/null; true", Duration.ofSeconds(10), OutputStream.nullOutputStream());
            } catch (RuntimeException e) {
                // the node went away: nothing left to end
            }
        }, "uml-end-group-" + node);
        t.setDaemon(true);
        t.start();
    }

    /** Exit status of a command whose node crashed under it: its processes died of SIGKILL. */
    static final int KILLED = 137;

    /** The command's status, or KILLED as soon as the kernel is gone; TimeoutException after {@code millis}. */
    private int await(CompletableFuture<Integer> done, long millis)
            throws TimeoutException, ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            try {
                return done.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!alive()) {
                    return KILLED;
                }
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    static void checkCommand(String commandLine) {
        if (commandLine.isBlank()) {
            throw new UserError("empty command: give the command to run on the node");
        }
        if (commandLine.getBytes(StandardCharsets.UTF_8).length > MAX_COMMAND_BYTES) {
            throw new UserError("command too long for a node console (" + commandLine.length() + " characters, at most "
                    + MAX_COMMAND_BYTES + "): put it in a script under the cluster folder and run that");
        }
        for (char c : commandLine.toCharArray()) {
            if (c < 0x20 && c != '\n' && c != '\t') {
                throw new UserError("command contains control character 0x" + Integer.toHexString(c)
                        + ", which a node console would interpret: remove it");
            }
        }
    }

    private static void write(OutputStream out, String text, boolean newline) {
        try {
            out.write((newline ? text + "\n" : text).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flush(OutputStream out) {
        try {
            out.flush();
        } catch (IOException e) {
            // the caller went away: nothing to flush to
        }
    }

    /**
     * Asks the node to stop cleanly (ssi-halt: processes end, disks sync, the kernel powers off) on a
     * free command channel; false when every channel is busy or the node is gone (then the caller uses
     * mconsole's ctrl-alt-del, which init turns into the same halt, or kills the kernel).
     */
    boolean halt() {
        CommandChannel channel = free.pollFirst();
        if (channel == null || !alive()) {
            return false;
        }
        try {
            channel.in.write("exec /opt/ssi/lib/ssi-halt </dev/null >/dev/null 2>&1\n".getBytes(StandardCharsets.UTF_8));
            channel.in.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL the kernel (helpers die with it) and wait for it to be gone. */
    void kill() {
        closeChannels();
        // Helpers are listed first: once the kernel is dead they are reparented and no longer its descendants.
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroyForcibly();
        helpers.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            kernelOut.awaitEnd(2000);
            if (console != null) {
                console.awaitEnd(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
