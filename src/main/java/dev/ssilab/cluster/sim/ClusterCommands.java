package dev.ssilab.cluster.sim;

import dev.ssilab.cluster.NodeStatus;
import java.util.List;
import java.util.Map;

/**
 * Membership and cluster-service commands: cluster [-v], clusternode_num, clusternode_getstate,
 * loadlevel, loads, keepalive, spawndaemon, help.
 */
final class ClusterCommands {
    private ClusterCommands() {}

    static void register(Map<String, Command> m) {
        m.put("cluster", ClusterCommands::cluster);
        m.put("clusternode_num", inv -> {
            inv.print(inv.node() + "\n");
            return 0;
        });
        m.put("clusternode_getstate", ClusterCommands::getState);
        m.put("loadlevel", ClusterCommands::loadlevel);
        m.put("loads", ClusterCommands::loads);
        m.put("keepalive", ClusterCommands::keepalive);
        m.put("spawndaemon", ClusterCommands::spawndaemon);
        m.put("help", ClusterCommands::help);
    }

    private static int cluster(Invocation inv) throws InterruptedException {
        boolean verbose = false;
        for (String a : inv.args()) {
            if (a.equals("-v")) {
                verbose = true;
            } else {
                return inv.notModelled("cluster " + a);
            }
        }
        SimCluster c = inv.cluster();
        StringBuilder b = new StringBuilder();
        synchronized (c) {
            if (verbose) {
                b.append("CLMS master: node ").append(c.membership.home(Membership.MASTER)).append('\n');
                b.append("transition id: ").append(c.membership.transition()).append('\n');
            }
            for (NodeStatus s : c.membership.statuses()) {
                String line = s.node() + ": " + s.state();
                if (verbose && !s.services().isEmpty()) {
                    line = String.format("%-14s%s", line, String.join(", ", s.services()));
                }
                b.append(line).append('\n');
            }
        }
        inv.print(b.toString());
        return 0;
    }

    private static int getState(Invocation inv) throws InterruptedException {
        if (inv.args().size() != 1) {
            return inv.fail(1, "usage: clusternode_getstate NODE");
        }
        Integer n = ProcessCommands.number(inv.args().get(0));
        if (n == null || n < 1 || n > Membership.MAX_NODE) {
            return inv.fail(1, "'" + inv.args().get(0) + "' is not a node number (1 to " + Membership.MAX_NODE + ")");
        }
        synchronized (inv.cluster()) {
            inv.print(inv.cluster().membership.state(n) + "\n");
        }
        return 0;
    }

    private static int loadlevel(Invocation inv) throws InterruptedException {
        List<String> a = inv.args();
        LoadLeveler ll = inv.cluster().leveler;
        if (a.isEmpty()) {
            StringBuilder b = new StringBuilder();
            synchronized (inv.cluster()) {
                for (int n : inv.cluster().membership.upNodes()) {
                    b.append(n).append(": ").append(ll.isOn(n) ? "on" : "off").append('\n');
                }
            }
            inv.print(b.toString());
            return 0;
        }
        if (a.size() == 2 && a.get(0).equals("-a") && (a.get(1).equals("on") || a.get(1).equals("off"))) {
            ll.setAll(a.get(1).equals("on"));
            return 0;
        }
        if (a.size() == 3 && a.get(0).equals("-n") && (a.get(2).equals("on") || a.get(2).equals("off"))) {
            Integer n = ProcessCommands.number(a.get(1));
            if (n == null || n < 1 || n > Membership.MAX_NODE) {
                return inv.fail(1, "'" + a.get(1) + "' is not a node number (1 to " + Membership.MAX_NODE + ")");
            }
            ll.setNode(n, a.get(2).equals("on"));
            return 0;
        }
        return inv.fail(1, "usage: loadlevel [-a on|off] [-n NODE on|off]");
    }

    private static int loads(Invocation inv) throws InterruptedException {
        if (!inv.args().isEmpty()) {
            return inv.notModelled("loads " + String.join(" ", inv.args()));
        }
        StringBuilder b = new StringBuilder();
        inv.cluster().leveler.loads().forEach((n, load) -> b.append(n).append(": ").append(String.format("%.2f", load)).append('\n'));
        inv.print(b.toString());
        return 0;
    }

    private static int keepalive(Invocation inv) throws InterruptedException {
        if (!inv.args().isEmpty()) {
            return inv.notModelled("keepalive " + String.join(" ", inv.args())
                    + " (keepalive runs from boot; register daemons with spawndaemon -d)");
        }
        inv.print(inv.cluster().keepalive.status());
        return 0;
    }

    private static int spawndaemon(Invocation inv) throws InterruptedException {
        List<String> a = inv.args();
        if (a.size() < 2 || !a.get(0).equals("-d")) {
            return inv.fail(1, "usage: spawndaemon -d PATH [ARGS...]");
        }
        String path = inv.shell().path(a.get(1));
        SimCluster c = inv.cluster();
        synchronized (c) {
            if (!(c.fs.lookup(path) instanceof SharedFs.RegularFile)) {
                return inv.fail(1, a.get(1) + ": no such program on the shared root; give the path of a file");
            }
        }
        int pid = c.keepalive.register(path, a.subList(2, a.size()), inv.node());
        inv.print("spawndaemon: " + path + " started as pid " + pid + " on node " + inv.node()
                + "; keepalive restarts it when it dies\n");
        return 0;
    }

    private static int help(Invocation inv) throws InterruptedException {
        StringBuilder b = new StringBuilder("ssilab sim: this node is simulated (OpenSSI model). Commands it models:\n");
        StringBuilder line = new StringBuilder(" ");
        for (String name : new java.util.TreeSet<>(NodeShell.COMMANDS.keySet())) {
            if (line.length() + name.length() > 76) {
                b.append(line).append('\n');
                line = new StringBuilder(" ");
            }
            line.append(' ').append(name);
        }
        b.append(line).append('\n');
        b.append("plus ; && || & | ! quotes $? $! $(...) > >> < 2>&1; anything else answers \"not modelled\" (exit 127).\n");
        inv.print(b.toString());
        return 0;
    }
}
