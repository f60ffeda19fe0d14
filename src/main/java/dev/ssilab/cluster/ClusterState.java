package dev.ssilab.cluster;

import dev.ssilab.state.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The small state file of one cluster ({@code state.properties} in its folder): what {@code ssi-ls} and
 * every client need without asking the manager.
 *
 * <p>Only two kinds of process write it, always under the registry lock and atomically: the
 * {@code ssi-start} that allocates the id, and then the cluster's manager after every membership change.
 *
 * @param startNodes the N of {@code ssi-start N}: nodes 1..N boot first
 * @param phase      STARTING until the manager has booted the nodes and listens on its socket
 * @param pid        the process that owns the cluster now: the starting client, then the manager
 * @param pidStarted when that process started (guards against a recycled pid); null if unknown
 * @param socket     the manager's AF_UNIX socket; null while STARTING
 */
public record ClusterState(int id, Phase phase, String backend, int startNodes, Instant started, List<Integer> nodesUp,
                           long pid, Instant pidStarted, Path socket, Path root, int swapMb,
                           Path kernel, Path initrd) {

    /** Where a cluster is in its life. */
    public enum Phase { STARTING, RUNNING }

    static final String FILE_NAME = "state.properties";

    public ClusterState {
        nodesUp = List.copyOf(nodesUp);
    }

    public StartRequest request() {
        return new StartRequest(backend, startNodes, root, swapMb, kernel, initrd);
    }

    public ClusterState withNodesUp(List<Integer> nodes) {
        return new ClusterState(id, phase, backend, startNodes, started, nodes, pid, pidStarted, socket, root, swapMb, kernel, initrd);
    }

    public ClusterState withOwner(long newPid, Instant newPidStarted) {
        return new ClusterState(id, phase, backend, startNodes, started, nodesUp, newPid, newPidStarted, socket, root, swapMb, kernel, initrd);
    }

    public ClusterState running(Path socketPath, List<Integer> nodes) {
        return new ClusterState(id, Phase.RUNNING, backend, startNodes, started, nodes, pid, pidStarted, socketPath, root, swapMb, kernel, initrd);
    }

    String format() {
        Properties p = new Properties();
        p.setProperty("id", Integer.toString(id));
        p.setProperty("phase", phase.name());
        p.setProperty("backend", backend);
        p.setProperty("start.nodes", Integer.toString(startNodes));
        p.setProperty("started", started.toString());
        p.setProperty("nodes.up", nodesUp.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("pid.started", pidStarted == null ? "" : pidStarted.toString());
        p.setProperty("socket", socket == null ? "" : socket.toString());
        p.setProperty("root", root.toString());
        p.setProperty("swap.mb", Integer.toString(swapMb));
        p.setProperty("kernel", kernel == null ? "" : kernel.toString());
        p.setProperty("initrd", initrd == null ? "" : initrd.toString());
        StringWriter out = new StringWriter();
        try {
            p.store(out, "ssilab cluster " + id + ": written by ssilab, do not edit");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    void writeTo(Path file) {
        AtomicFiles.writeString(file, format());
    }

    /** Reads a state file; a file that is missing or does not parse is an IOException naming it. */
    static ClusterState read(Path file) throws IOException {
        Properties p = new Properties();
        String text;
        try {
            text = Files.readString(file);
        } catch (java.nio.charset.CharacterCodingException e) {
            // Bytes that are not UTF-8 are a damaged file like any other, not a bare "Input length = 1".
            throw new IOException("corrupt cluster state file " + file + ": it is not text", e);
        }
        try {
            p.load(new StringReader(text)); // a malformed unicode escape is an IllegalArgumentException: corrupt, like the rest
            return new ClusterState(
                    Integer.parseInt(required(p, "id")),
                    Phase.valueOf(required(p, "phase")),
                    required(p, "backend"),
                    Integer.parseInt(required(p, "start.nodes")),
                    Instant.parse(required(p, "started")),
                    nodeList(p.getProperty("nodes.up", "")),
                    Long.parseLong(required(p, "pid")),
                    optional(p, "pid.started") == null ? null : Instant.parse(p.getProperty("pid.started")),
                    optionalPath(p, "socket"),
                    Path.of(required(p, "root")),
                    Integer.parseInt(required(p, "swap.mb")),
                    optionalPath(p, "kernel"),
                    optionalPath(p, "initrd"));
        } catch (RuntimeException e) {
            throw new IOException("corrupt cluster state file " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Integer> nodeList(String text) {
        List<Integer> nodes = new ArrayList<>();
        Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(s -> nodes.add(Integer.parseInt(s)));
        return nodes;
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v;
    }

    private static String optional(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? null : v;
    }

    private static Path optionalPath(Properties p, String key) {
        String v = optional(p, key);
        return v == null ? null : Path.of(v);
    }
}
