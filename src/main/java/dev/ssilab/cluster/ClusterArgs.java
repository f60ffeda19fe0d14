package dev.ssilab.cluster;

import dev.ssilab.state.UserError;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what the learner typed (cluster ids, node numbers, node counts, swap sizes) into numbers, or
 * into one clear line saying what was wrong and what to do.
 */
public final class ClusterArgs {
    public static final int MAX_NODES = 15;
    static final int MAX_SWAP_MB = 65536;

    private ClusterArgs() {}

    public static int clusterId(String text) {
        int id = number(text, "cluster id", "ssi-ls lists the clusters");
        if (id < ClusterIds.FIRST || id > ClusterIds.LAST) {
            throw new UserError("cluster id " + id + " is out of range (ids start at " + ClusterIds.FIRST
                    + "; ssi-ls lists the clusters)");
        }
        return id;
    }

    public static int node(String text) {
        int node = number(text, "node number", "nodes are 1.." + MAX_NODES);
        checkNodeRange(node);
        return node;
    }

    public static List<Integer> nodes(List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            throw new UserError("no node given (name the node numbers after the cluster id, e.g. 5 6)");
        }
        List<Integer> nodes = new ArrayList<>();
        for (String t : texts) {
            nodes.add(node(t));
        }
        return nodes;
    }

    /** A cluster id and what follows it on the command line. */
    public record Addressed(int id, List<String> rest) {}

    /**
     * The cluster a command is for, and the words after it. The 2002 HOWTO ran one cluster per host and
     * let the id be left out ({@code ssi-add 3 5}, {@code ssi-rm 3}, {@code ssi-stop}): ids have five
     * digits ({@link ClusterIds}) and nodes are 1..15, so a first number that is not an id means the only cluster there is.
     *
     * @param candidates the clusters the id may be left out for (running ones; ssi-stop also counts stale ones)
     * @param example the command as it would be typed with an id, for the message when several run
     */
    public static Addressed addressed(List<String> words, List<Integer> candidates, String command, String example) {
        List<String> all = words == null ? List.of() : words;
        if (!all.isEmpty() && all.get(0).trim().matches("[0-9]{5,9}")) {
            return new Addressed(clusterId(all.get(0)), all.subList(1, all.size()));
        }
        if (!all.isEmpty() && !all.get(0).trim().matches("[+-]?[0-9]{1,9}")) {
            clusterId(all.get(0)); // says the word is not a number
        }
        if (candidates.isEmpty()) {
            throw new UserError("no cluster is running: start one with ssi-start (ssi-ls lists the clusters)");
        }
        if (candidates.size() > 1) {
            String ids = candidates.stream().sorted().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
            throw new UserError("several clusters are running (" + ids + "): name the one you mean, e.g. " + command + " "
                    + candidates.stream().sorted().findFirst().orElseThrow() + (example.isEmpty() ? "" : " " + example));
        }
        return new Addressed(candidates.get(0), all);
    }

    /** The backend named by --backend, else by SSILAB_BACKEND, else the simulator. */
    public static String backend(String option, java.util.Map<String, String> env) {
        if (option != null && !option.isBlank()) {
            return option.trim();
        }
        String fromEnv = env.get("SSILAB_BACKEND");
        return fromEnv == null || fromEnv.isBlank() ? BackendName.DEFAULT.id() : fromEnv.trim();
    }

    /** A timeout in whole seconds, for commands run on a node. */
    public static java.time.Duration timeoutSeconds(String text) {
        int s = number(text, "timeout", "give whole seconds, e.g. --timeout 60");
        if (s < 1) {
            throw new UserError("timeout " + s + " s must be at least 1 s (e.g. --timeout 60)");
        }
        return java.time.Duration.ofSeconds(s);
    }

    /** The N of ssi-start N: more than zero and less than sixteen. */
    public static int nodeCount(String text) {
        int n = number(text, "number of nodes", "give 1.." + MAX_NODES);
        checkNodeCount(n);
        return n;
    }

    public static int swapMb(String text) {
        int mb = number(text, "swap size", "give the size of each node's swap file in MB, e.g. -s 64");
        if (mb < 1 || mb > MAX_SWAP_MB) {
            throw new UserError("swap size " + mb + " MB is out of range (give 1.." + MAX_SWAP_MB + " MB, e.g. -s 64)");
        }
        return mb;
    }

    static void checkNodeCount(int n) {
        if (n < 1 || n > MAX_NODES) {
            throw new UserError("number of nodes " + n + " is out of range (it must be greater than 0 and less than "
                    + (MAX_NODES + 1) + ")");
        }
    }

    static void checkNodeRange(int node) {
        if (node < 1 || node > MAX_NODES) {
            throw new UserError("node " + node + " is out of range (nodes are 1.." + MAX_NODES + ")");
        }
    }

    private static int number(String text, String what, String hint) {
        if (text == null || !text.trim().matches("[+-]?[0-9]{1,9}")) {
            throw new UserError(what + " '" + text + "' is not a number (" + hint + ")");
        }
        return Integer.parseInt(text.trim());
    }
}
