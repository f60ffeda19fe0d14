package dev.ssilab.cluster.sim.model;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The keepalive daemon (a centralized service): restarts registered daemons when they die, on the same
 * node if it is still up, else on the lowest-numbered UP node (our policy), and logs each restart to
 * {@code /var/log/keepalive} on the shared root. Its own process is respawned like init's children
 * are, and fails over with its node. Locking: see the package doc (public methods take the lock).
 */
public final class Keepalive {
    static final String LOG = "/var/log/keepalive";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static final class Registration {
        final String path;
        final List<String> args;
        int pid;
        int restarts;

        Registration(String path, List<String> args) {
            this.path = path;
            this.args = List.copyOf(args);
        }

        String command() {
            return args.isEmpty() ? path : path + " " + String.join(" ", args);
        }
    }

    private final SimCluster c;
    private final List<Registration> registrations = new ArrayList<>();
    private SimProcess daemon;

    Keepalive(SimCluster c) {
        this.c = c;
    }

    /** Starts the keepalive daemon process on its node (at first boot, on failover, after a kill). */
    void startDaemon(int node) {
        SimProcess d = c.spawn(node, null, "keepalive", "?");
        d.ppid = SimCluster.INIT_PID;
        d.pinned = true; // a centralized service moves only by failover
        d.onExit = () -> {
            synchronized (c) {
                Integer home = c.membership.home(Membership.KEEPALIVE);
                // killed on a node that is still up: init respawns it there; a crash is handled by failover
                if (!c.closed() && daemon == d && home != null && c.membership.isUp(home)) {
                    startDaemon(home);
                }
            }
        };
        daemon = d;
    }

    /** Registers and starts a daemon on node N; returns its pid. */
    public int register(String path, List<String> args, int node) {
        synchronized (c) {
            Registration r = new Registration(path, args);
            registrations.add(r);
            return start(r, node).pid;
        }
    }

    private SimProcess start(Registration r, int node) {
        SimProcess p = c.spawn(node, daemon, r.command(), "?");
        List<String> argv = new ArrayList<>();
        argv.add(r.path);
        argv.addAll(r.args);
        TimedProcesses.start(c, p, argv, true); // a sleep ends on its timer; anything else runs until killed
        r.pid = p.pid;
        p.onExit = () -> died(r, p);
        return p;
    }

    private void died(Registration r, SimProcess old) {
        synchronized (c) {
            if (c.closed() || r.pid != old.pid || !registrations.contains(r)) {
                return;
            }
            List<Integer> up = c.membership.upNodes();
            int node = c.membership.isUp(old.node) ? old.node : up.get(0);
            SimProcess p;
            try {
                p = start(r, node);
            } catch (SimCluster.ForkError e) {
                log(String.format("%s keepalive: %s: pid %d on node %d %s; cannot restart it: %s%n",
                        LocalDateTime.now().format(STAMP), r.command(), old.pid, old.node, describe(old), e.getMessage()));
                return;
            }
            r.restarts++;
            log(String.format("%s keepalive: %s: pid %d on node %d %s; restarted as pid %d on node %d%n",
                    LocalDateTime.now().format(STAMP), r.command(), old.pid, old.node, describe(old), p.pid, node));
        }
    }

    private static String describe(SimProcess old) {
        return old.exitStatus > 128 ? "killed by " + Signals.name(old.exitStatus - 128) : "exited with status " + old.exitStatus;
    }

    private void log(String line) {
        try {
            c.fs.write(LOG, line, true);
        } catch (SharedFs.FsError e) {
            // /var/log was removed by the learner: the restart still happens
        }
    }

    /** What the keepalive command prints: the daemon, then one line per registered daemon. */
    public String status() {
        synchronized (c) {
            StringBuilder b = new StringBuilder();
            b.append("keepalive: pid ").append(daemon.pid).append(" on node ").append(daemon.node).append('\n');
            b.append(String.format("%7s %4s %8s %s%n", "PID", "NODE", "RESTARTS", "COMMAND"));
            for (Registration r : registrations) {
                SimProcess p = c.process(r.pid);
                b.append(String.format("%7d %4s %8d %s%n", r.pid, p == null ? "-" : String.valueOf(p.node), r.restarts, r.command()));
            }
            return b.toString();
        }
    }
}
