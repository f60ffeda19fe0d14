package dev.ssilab.cluster;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The "echo" test backend: nodes UP/DOWN with three services that fail over to the lowest UP node;
 * exec and console run bash on the host with SSILAB_NODE set. A root image whose text contains
 * {@code fail-boot} makes every boot fail, and one containing {@code slow-boot} makes boots take two
 * minutes, to test how a failed or interrupted start is reported and cleaned up.
 */
final class EchoBackend implements ClusterBackend {
    static final List<String> SERVICES = List.of("CLMS master", "init", "root");

    private final Path dir;
    private final boolean failBoot;
    private final boolean slowBoot;
    private final Map<Integer, NodeState> states = new TreeMap<>();
    private final Map<String, Integer> services = new LinkedHashMap<>();
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    EchoBackend(StartRequest request, Path dir) {
        this.dir = dir;
        try {
            String image = Files.readString(request.root());
            this.failBoot = image.contains("fail-boot");
            this.slowBoot = image.contains("slow-boot");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public synchronized void boot(List<Integer> nodes) {
        if (failBoot) {
            throw new UserError("node " + nodes.get(0) + " did not boot: the test root image says fail-boot");
        }
        if (slowBoot) {
            try {
                Thread.sleep(120_000); // long enough for a test to interrupt the start
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("boot interrupted");
            }
        }
        for (int n : nodes) {
            if (states.get(n) == NodeState.UP) {
                throw new UserError("node " + n + " is already up");
            }
        }
        for (int n : nodes) {
            states.put(n, NodeState.UP);
        }
        if (services.isEmpty()) {
            SERVICES.forEach(s -> services.put(s, lowestUp()));
        }
    }

    @Override
    public synchronized CrashReport crash(int node) {
        states.put(node, NodeState.DOWN);
        Map<String, Integer> moved = new TreeMap<>();
        services.replaceAll((service, at) -> {
            if (at == node) {
                moved.put(service, lowestUp());
                return lowestUp();
            }
            return at;
        });
        return new CrashReport(node, moved);
    }

    private int lowestUp() {
        return states.entrySet().stream().filter(e -> e.getValue() == NodeState.UP).mapToInt(Map.Entry::getKey).min().orElse(0);
    }

    @Override
    public synchronized List<NodeStatus> nodes() {
        List<NodeStatus> out = new ArrayList<>();
        states.forEach((n, state) -> {
            List<String> hosted = new ArrayList<>();
            services.forEach((service, at) -> {
                if (at.equals(n) && state == NodeState.UP) {
                    hosted.add(service);
                }
            });
            out.add(new NodeStatus(n, state, hosted));
        });
        return out;
    }

    @Override
    public int exec(int node, String commandLine, Duration timeout, OutputStream out) {
        Process p = start(node, List.of("bash", "-c", commandLine));
        try {
            p.getOutputStream().close();
            Thread copier = copy(p.getInputStream(), out);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                copier.join(5000);
                return ExecResult.TIMED_OUT;
            }
            copier.join(5000);
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExecResult.TIMED_OUT;
        } finally {
            end(p);
        }
    }

    @Override
    public void console(int node, InputStream in, OutputStream out) {
        Process p = start(node, List.of("bash"));
        try {
            Thread copier = copy(p.getInputStream(), out);
            Thread keyboard = new Thread(() -> {
                try (OutputStream shell = p.getOutputStream()) {
                    in.transferTo(shell);
                } catch (IOException e) {
                    // the shell exited first
                }
            }, "echo-console-input");
            keyboard.setDaemon(true);
            keyboard.start();
            p.waitFor();
            copier.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            end(p);
        }
    }

    private Process start(int node, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("SSILAB_NODE", Integer.toString(node));
        try {
            Process p = pb.start();
            running.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void end(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        running.remove(p);
    }

    private static Thread copy(InputStream from, OutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = from.read(buf)) >= 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // the client went away; the process is ended by the caller
            }
        }, "echo-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() {
        running.forEach(this::end);
    }
}
