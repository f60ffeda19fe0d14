package dev.ssilab.cluster.sim.commands;

import dev.ssilab.cluster.NodeStatus;
import dev.ssilab.cluster.sim.model.LoadLeveler;
import dev.ssilab.cluster.sim.model.Membership;
import dev.ssilab.cluster.sim.model.SimCluster;
import dev.ssilab.cluster.sim.shell.Command;
import dev.ssilab.cluster.sim.shell.Invocation;
import java.util.List;
import java.util.Map;

/**
 * Membership and cluster-service commands: cluster [-v], clusternode_num, clusternode_getstate,
 * loadlevel, loads, keepalive, spawndaemon.
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
        boolean v = verbose;
        inv.print(inv.cluster().snapshot(c -> { // one transition's view: master, id and states agree
            StringBuilder b = new StringBuilder();
            if (v) {
                b.append("CLMS master: node ").append(c.membership.home(Membership.MASTER)).append('\n');
                b.append("transition id: ").append(c.membership.transition()).append('\n');
            }
            for (NodeStatus s : c.membership.statuses()) {
                String line = s.node() + ": " + s.state();
                if (v && !s.services().isEmpty()) {
                    line = String.format("%-14s%s", line, String.join(", ", s.services()));
                }
                b.append(line).append('\n');
            }
            return b.toString();
        }));
        return 0;
    }

    private static int getState(Invocation inv) throws InterruptedException {
        if (inv.args().size() != 1) {
            return inv.fail(1, "usage: clusternode_getstate NODE");
        }
        Integer n = Invocation.number(inv.args().get(0));
        if (n == null || n < 1 || n > Membership.MAX_NODE) {
            return inv.fail(1, "'" + inv.args().get(0) + "' is not a node number (1 to " + Membership.MAX_NODE + ")");
        }
        inv.print(inv.cluster().state(n) + "\n");
        return 0;
    }

    private static int loadlevel(Invocation inv) throws InterruptedException {
        List<String> a = inv.args();
        LoadLeveler ll = inv.cluster().leveler;
        if (a.isEmpty()) {
            inv.print(inv.cluster().snapshot(c -> {
                StringBuilder b = new StringBuilder();
                for (int n : c.membership.upNodes()) {
                    b.append(n).append(": ").append(ll.isOn(n) ? "on" : "off").append('\n');
                }
                return b.toString();
            }));
            return 0;
        }
        if (a.size() == 2 && a.get(0).equals("-a") && (a.get(1).equals("on") || a.get(1).equals("off"))) {
            ll.setAll(a.get(1).equals("on"));
            return 0;
        }
        if (a.size() == 3 && a.get(0).equals("-n") && (a.get(2).equals("on") || a.get(2).equals("off"))) {
            Integer n = Invocation.number(a.get(1));
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
        if (!c.fs.isFile(path)) {
            return inv.fail(1, a.get(1) + ": no such program on the shared root; give the path of a file");
        }
        int pid = c.keepalive.register(path, a.subList(2, a.size()), inv.node());
        inv.print("spawndaemon: " + path + " started as pid " + pid + " on node " + inv.node()
                + "; keepalive restarts it when it dies\n");
        return 0;
    }
}
