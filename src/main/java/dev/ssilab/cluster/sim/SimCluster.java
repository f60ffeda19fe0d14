package dev.ssilab.cluster.sim;

import dev.ssilab.cluster.CrashReport;
import dev.ssilab.cluster.NodeState;
import dev.ssilab.state.UserError;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state of one simulated OpenSSI cluster: membership, the clusterwide process table, the shared
 * root, the consoles, keepalive and the load leveler. Its monitor ({@code synchronized (this)}) guards
 * all of it; blocking operations (wait, FIFOs) wait on it, and a kill interrupts the waiting thread.
 */
final class SimCluster {
    static final int INIT_PID = 1;
    /** Node N allocates pids from [N*65536+1, N*65536+65535], as OpenSSI put the node in the high bits. */
    static final int PID_RANGE = 65536;
    /** Most processes a simulated cluster holds at once (Linux's default pid_max), so one cluster stays small. */
    static final int MAX_PROCESSES = 32768;

    /** No process can be made: the node's pid range or the cluster's table is full (bash: fork failed). */
    static final class ForkError extends RuntimeException {
        ForkError() {
            super("fork: retry: Resource temporarily unavailable");
        }
    }

    final int id;
    final Path dir;
    final SimTiming timing;
    final ScheduledExecutorService scheduler;
    /** Threads for background jobs that block (a FIFO writer, a job list); sleeps use the scheduler. */
    final ExecutorService jobs;
    final Membership membership = new Membership();
    final SharedFs fs = new SharedFs(this);
    final Keepalive keepalive;
    final LoadLeveler leveler;
    private final Map<Integer, SimProcess> procs = new TreeMap<>();
    /** Ended background processes not yet reaped by their parent's wait: pid -> {ppid, status}. */
    private final Map<Integer, int[]> zombies = new HashMap<>();
    private final Map<Integer, Integer> nextLocalPid = new HashMap<>();
    private final Map<Integer, NodeConsole> consoles = new HashMap<>();
    private boolean closed;
    /** The process table's size limit; tests lower it. */
    int maxProcesses = MAX_PROCESSES;

    SimCluster(int id, Path dir, SimTiming timing) {
        this.id = id;
        this.dir = dir;
        this.timing = timing;
        this.scheduler = new ScheduledThreadPoolExecutor(2, threads("sim-" + id + "-timer"));
        this.jobs = Executors.newCachedThreadPool(threads("sim-" + id + "-job"));
        this.keepalive = new Keepalive(this);
        this.leveler = new LoadLeveler(this);
        RootImage.populate(fs);
        long period = timing.balancePeriod().toMillis();
        scheduler.scheduleAtFixedRate(leveler::balance, period, period, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    synchronized NodeConsole console(int node) {
        return consoles.computeIfAbsent(node, n -> new NodeConsole(dir.resolve("node" + n)));
    }

    synchronized boolean closed() {
        return closed;
    }

    // ---- membership

    static void checkRange(int node) {
        if (node < 1 || node > Membership.MAX_NODE) {
            throw new UserError("node " + node + " is out of range; node numbers go from 1 to " + Membership.MAX_NODE);
        }
    }

    void boot(List<Integer> nodes) {
        List<Integer> booted = new ArrayList<>();
        synchronized (this) {
            if (nodes.isEmpty()) {
                throw new UserError("no node to boot; give at least one node number from 1 to 15");
            }
            for (int n : nodes) {
                checkRange(n);
                NodeState s = membership.state(n);
                if (s != NodeState.NEVERUP && s != NodeState.DOWN) {
                    throw new UserError("node " + n + " of cluster " + id + " is already " + s
                            + "; only a node that is DOWN or has never been up can boot");
                }
            }
            if (nodes.stream().distinct().count() != nodes.size()) {
                throw new UserError("node numbers " + nodes + " repeat a node; give each node once");
            }
            for (int n : nodes.stream().sorted().toList()) {
                membership.set(n, NodeState.COMINGUP);
                membership.set(n, NodeState.UP);
                if (membership.home(Membership.MASTER) == null) {
                    firstNodeUp(n);
                }
                booted.add(n);
            }
            notifyAll();
        }
        for (int n : booted) {
            console(n).log("ssilab sim: node " + n + " is UP (OpenSSI model); CLMS master is node "
                    + masterNode() + "\n");
        }
    }

    synchronized int masterNode() {
        return membership.home(Membership.MASTER);
    }

    /** The first node of the cluster hosts every centralized service, init and the keepalive daemon. */
    private void firstNodeUp(int n) {
        for (String s : Membership.SERVICES) {
            membership.place(s, n);
        }
        SimProcess init = new SimProcess(INIT_PID, 0, INIT_PID, INIT_PID, "?", "init", n, Instant.now());
        procs.put(INIT_PID, init);
        keepalive.startDaemon(n);
    }

    CrashReport crash(int node) {
        Map<String, Integer> moved = new LinkedHashMap<>();
        synchronized (this) {
            checkRange(node);
            NodeState s = membership.state(node);
            if (s != NodeState.UP) {
                throw new UserError("node " + node + " of cluster " + id + " is " + s + ", not UP; only a node that is up can crash");
            }
            if (membership.upNodes().size() == 1) {
                throw new UserError("node " + node + " is the last node up in cluster " + id
                        + "; a cluster keeps one node up: use ssi-stop " + id + " to end it");
            }
            membership.set(node, NodeState.KCLEANUP);
            for (SimProcess p : new ArrayList<>(procs.values())) {
                if (p.node == node && p.pid != INIT_PID) {
                    terminate(p, 9);
                }
            }
            membership.set(node, NodeState.UCLEANUP);
            membership.set(node, NodeState.DOWN);
            int survivor = membership.upNodes().get(0);
            for (String service : Membership.SERVICES) {
                Integer home = membership.home(service);
                if (home != null && home == node) {
                    membership.place(service, survivor);
                    moved.put(service, survivor);
                }
            }
            if (moved.containsKey(Membership.INIT)) {
                procs.get(INIT_PID).node = survivor; // init is restarted on the new node with pid 1
            }
            if (moved.containsKey(Membership.KEEPALIVE)) {
                keepalive.startDaemon(survivor);
            }
            notifyAll();
        }
        for (int n : upNodesSnapshot()) {
            console(n).log("ssilab sim: node " + node + " went DOWN" + (moved.isEmpty() ? ""
                    : "; " + String.join(", ", moved.keySet()) + " moved to node " + moved.values().iterator().next()) + "\n");
        }
        return new CrashReport(node, moved);
    }

    synchronized List<Integer> upNodesSnapshot() {
        return membership.upNodes();
    }

    // ---- processes

    private int allocatePid(int node) {
        int base = node * PID_RANGE;
        int local = nextLocalPid.getOrDefault(node, 0);
        for (int tries = 0; tries < PID_RANGE; tries++) {
            local = local % (PID_RANGE - 1) + 1;
            int pid = base + local;
            if (!procs.containsKey(pid) && !zombies.containsKey(pid)) {
                nextLocalPid.put(node, local);
                return pid;
            }
        }
        throw new ForkError();
    }

    /** Creates a process on node N; a child of {@code parent} (null: of init) in its session. */
    synchronized SimProcess spawn(int node, SimProcess parent, String command, String tty) {
        if (closed) {
            throw new IllegalStateException("cluster " + id + " is stopped");
        }
        if (procs.size() >= maxProcesses) {
            throw new ForkError();
        }
        int pid = allocatePid(node);
        SimProcess p = parent == null
                ? new SimProcess(pid, INIT_PID, pid, pid, tty, command, node, Instant.now())
                : new SimProcess(pid, parent.pid, parent.pgrp, parent.sid, tty, command, node, Instant.now());
        if (parent != null) {
            p.loadLevelEligible = parent.loadLevelEligible;
        }
        procs.put(pid, p);
        return p;
    }

    synchronized SimProcess process(int pid) {
        SimProcess p = procs.get(pid);
        return p != null && p.alive ? p : null;
    }

    synchronized List<SimProcess> processes() {
        return new ArrayList<>(procs.values());
    }

    /** Ends a process normally with this exit status (no-op if it was killed meanwhile). */
    synchronized void exit(SimProcess p, int status, boolean keepZombie) {
        if (!p.alive) {
            return;
        }
        p.alive = false;
        p.exitStatus = status;
        finish(p, keepZombie);
    }

    private void finish(SimProcess p, boolean keepZombie) {
        procs.remove(p.pid);
        if (p.timer != null) {
            p.timer.cancel(false);
        }
        SimProcess parent = procs.get(p.ppid);
        if (keepZombie && parent != null && p.ppid != INIT_PID) {
            zombies.put(p.pid, new int[] {p.ppid, p.exitStatus});
        }
        for (SimProcess child : procs.values()) {
            if (child.ppid == p.pid) {
                child.ppid = INIT_PID; // orphans are adopted by init, wherever it runs
            }
        }
        zombies.values().removeIf(z -> z[0] == p.pid);
        if (p.onExit != null && !closed) {
            scheduler.execute(p.onExit);
        }
        notifyAll();
    }

    /** Kills a process with a signal (all signals the simulator models terminate); the status is 128+sig. */
    synchronized boolean terminate(SimProcess p, int signal) {
        if (!p.alive) {
            return false;
        }
        p.alive = false;
        p.exitStatus = 128 + signal;
        if (p.runner != null) {
            p.runner.interrupt();
        }
        finish(p, true);
        return true;
    }

    /** Marks p as run by the current thread (so a kill interrupts it); false if it is already dead. */
    synchronized boolean runBy(SimProcess p, Thread t) {
        if (!p.alive) {
            return false;
        }
        p.runner = t;
        return true;
    }

    /** Called by a runner thread when its body is done; clears a late interrupt meant for the body. */
    void release(SimProcess p) {
        synchronized (this) {
            p.runner = null;
        }
        Thread.interrupted();
    }

    /** Blocks until that child ends and returns its status; null when pid is not an unreaped child. */
    synchronized Integer waitChild(int parentPid, int pid) throws InterruptedException {
        while (true) {
            int[] z = zombies.get(pid);
            if (z != null && z[0] == parentPid) {
                zombies.remove(pid);
                return z[1];
            }
            SimProcess p = procs.get(pid);
            if (p == null || p.ppid != parentPid) {
                return null;
            }
            wait();
        }
    }

    /** Reaps a finished child without blocking; null while it still runs. */
    synchronized Integer reap(int parentPid, int pid) {
        int[] z = zombies.get(pid);
        if (z != null && z[0] == parentPid) {
            zombies.remove(pid);
            return z[1];
        }
        return procs.containsKey(pid) ? null : -1;
    }

    /** Moves a process; returns null when done, else why it was refused. */
    synchronized String migrate(int pid, int target) {
        SimProcess p = process(pid);
        if (p == null) {
            return "no such process " + pid;
        }
        if (target < 1 || target > Membership.MAX_NODE) {
            return "node " + target + " is out of range (1 to " + Membership.MAX_NODE + ")";
        }
        if (!membership.isUp(target)) {
            return "node " + target + " is " + membership.state(target) + "; a process can only move to a node that is UP";
        }
        if (p.pinned) {
            return "process " + pid + " is pinned to node " + p.node + " (started with onnode -p); it cannot move";
        }
        if (pid == INIT_PID) {
            return "init (pid 1) cannot move; it fails over only when its node goes down";
        }
        p.node = target;
        notifyAll();
        return null;
    }

    /** Ends everything: every process, the timers and job threads. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (SimProcess p : new ArrayList<>(procs.values())) {
                terminate(p, 9);
            }
            notifyAll();
        }
        scheduler.shutdownNow();
        for (Runnable never : jobs.shutdownNow()) {
            if (never instanceof java.util.concurrent.Future<?> f) {
                f.cancel(true); // a session that never started must not leave its client waiting
            }
        }
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
            jobs.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
