package dev.ssilab.cluster;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The texts the ssi-* commands print, in the HOWTO's wording (the seed command contract). */
public final class ClusterMessages {
    /** {@code Mar 06 2002, 06:03:48 PM PST}, as the HOWTO's ssi-ls prints dates. */
    static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("MMM dd yyyy, hh:mm:ss a z", Locale.US);

    private ClusterMessages() {}

    public static String started(ClusterInfo cluster) {
        int n = cluster.nodesUp().size();
        return "Cluster " + cluster.id() + " has been started with " + n + (n == 1 ? " node" : " nodes");
    }

    /** ssi-ls: the header line, then {@code ID  Nodes  Date started} with one row per cluster. */
    public static String listing(List<ClusterInfo> clusters, ZoneId zone) {
        if (clusters.isEmpty()) {
            return "No clusters have been found.\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "Nodes", "Date started"});
        for (ClusterInfo c : clusters) {
            String nodes = c.nodesUp().isEmpty() ? "-" : join(c.nodesUp());
            String date = STARTED.format(c.started().atZone(zone));
            if (c.stale()) {
                date += "  stale: its manager is gone (ssi-stop " + c.id() + " removes it)";
            }
            rows.add(new String[] {Integer.toString(c.id()), nodes, date});
        }
        int idWidth = rows.stream().mapToInt(r -> r[0].length()).max().orElse(2);
        int nodesWidth = rows.stream().mapToInt(r -> r[1].length()).max().orElse(5);
        StringBuilder out = new StringBuilder("The following clusters have been found:\n");
        for (String[] r : rows) {
            out.append(pad(r[0], idWidth)).append("  ").append(pad(r[1], nodesWidth)).append("  ").append(r[2]).append('\n');
        }
        return out.toString();
    }

    /** ssi-rm: which node went down and where its centralized services are now. */
    public static String crashed(int id, CrashReport report) {
        String head = "Node " + report.node() + " of cluster " + id + " has crashed";
        if (report.servicesMovedTo().isEmpty()) {
            return head + "; no centralized service ran on it";
        }
        Map<Integer, List<String>> byNode = new TreeMap<>();
        new TreeMap<>(report.servicesMovedTo()).forEach(
                (service, node) -> byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(service));
        return head + "; " + byNode.entrySet().stream()
                .map(e -> "services now on node " + e.getKey() + ": " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
    }

    public static String added(int id, List<Integer> nodes) {
        return (nodes.size() == 1 ? "Node " + nodes.get(0) + " has" : "Nodes " + join(nodes) + " have")
                + " been added to cluster " + id;
    }

    public static String stopped(ClusterInfo cluster) {
        return cluster.stale()
                ? "Cluster " + cluster.id() + " was stale (its manager had gone); it has been removed"
                : "Cluster " + cluster.id() + " has been stopped";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Said once when a simulated cluster starts: nothing it shows comes from a real kernel. */
    public static String simulatedNote(ClusterInfo cluster) {
        return "note: cluster " + cluster.id() + " runs on the sim backend, ssilab's simulator of OpenSSI: its nodes and"
                + " processes are simulated (--backend uml boots real User-Mode Linux kernels)";
    }

    /** Node numbers as the commands and the manager's log list them: {@code 1 2 3}. */
    static String join(List<Integer> nodes) {
        return nodes.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }
}
