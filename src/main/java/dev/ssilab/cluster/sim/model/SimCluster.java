package dev.ssilab.cluster.sim.model;

import dev.ssilab.cluster.NodeState;
import dev.ssilab.cluster.NodeStatus;
import dev.ssilab.state.UserError;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The state of one simulated OpenSSI cluster: membership, the clusterwide process table, the shared
 * root, the consoles, keepalive and the load leveler. Its monitor is the cluster's one lock, which
 * guards all of it; the package doc says who takes it and why.
 */
public final class SimCluster {
    public static final int INIT_PID = 1;
    /** Node N allocates pids from [N*65536+1, N*65536+65535], as OpenSSI put the node in the high bits. */
    public static final int PID_RANGE = 65536;
    /** Most processes a simulated cluster holds at once (Linux's default pid_max), so one cluster stays small. */
    static final int MAX_PROCESSES = 32768;

    /** No process can be made: the node's pid range or the cluster's table is full (bash: fork failed). */
    public static final class ForkError extends RuntimeException {
        ForkError() {
            super("fork: retry: Resource temporarily unavailable");
        }
    }

    public final int id;
    public final Path dir;
    public final SimTiming timing;
    public final ScheduledExecutorService scheduler;
    /** Threads for background jobs that block (a FIFO writer, a job list); sleeps use the scheduler. */
    public final ExecutorService jobs;
    public final Membership membership = new Membership();
    public final SharedFs fs = new SharedFs(this);
    public final Keepalive keepalive;
    public final LoadLeveler leveler;
    /** Boots and crashes nodes. */
    public final Clms clms = new Clms(this);
    private final Map<Integer, SimProcess> procs = new TreeMap<>();
    /** Ended background processes not yet reaped by their parent's wait: pid -> {ppid, status}. */
    private final Map<Integer, int[]> zombies = new HashMap<>();
    private final Map<Integer, Integer> nextLocalPid = new HashMap<>();
    private final Map<Integer, NodeConsole> consoles = new HashMap<>();
    private boolean closed;
    /** The process table's size limit; tests lower it. */
    public int maxProcesses = MAX_PROCESSES;

    public SimCluster(int id, Path dir, SimTiming timing, RootImage image) {
        this.id = id;
        this.dir = dir;
        this.timing = timing;
        this.scheduler = new ScheduledThreadPoolExecutor(2, threads("sim-" + id + "-timer"));
        this.jobs = Executors.newCachedThreadPool(threads("sim-" + id + "-job"));
        this.keepalive = new Keepalive(this);
        this.leveler = new LoadLeveler(this);
        image.populate(fs);
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

    /**
     * Runs reader holding the lock, for a consistent view of several parts at once (cluster -v, ps,
     * loadlevel); the reader only looks: it must not block, print or change the cluster.
     */
    public synchronized <T> T snapshot(Function<SimCluster, T> reader) {
        return reader.apply(this);
    }

    /** Why a session cannot start or a node cannot change: the cluster was stopped. */
    public UserError stopped() {
        return new UserError("cluster " + id + " is stopped; start a new one with ssi-start");
    }

    public synchronized NodeConsole console(int node) {
        return consoles.computeIfAbsent(node, n -> new NodeConsole(dir.resolve("node" + n)));
    }

    public synchronized boolean closed() {
        return closed;
    }

    // ---- membership (its changes are Clms's)

    /** Puts init (pid 1) on the first node up. */
    void startInit(int node) {
        procs.put(INIT_PID, new SimProcess(this, INIT_PID, 0, INIT_PID, INIT_PID, "?", "init", node, Instant.now()));
    }

    synchronized int masterNode() {
        return membership.home(Membership.MASTER);
    }

    public synchronized List<Integer> upNodesSnapshot() {
        return membership.upNodes();
    }

    synchronized boolean isUp(int node) {
        return membership.isUp(node);
    }

    public synchronized NodeState state(int node) {
        return membership.state(node);
    }

    public synchronized List<NodeStatus> statuses() {
        return membership.statuses();
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
    public synchronized SimProcess spawn(int node, SimProcess parent, String command, String tty) {
        if (closed) {
            throw new IllegalStateException("cluster " + id + " is stopped");
        }
        if (procs.size() >= maxProcesses) {
            throw new ForkError();
        }
        int pid = allocatePid(node);
        SimProcess p = parent == null
                ? new SimProcess(this, pid, INIT_PID, pid, pid, tty, command, node, Instant.now())
                : new SimProcess(this, pid, parent.pid, parent.pgrp, parent.sid, tty, command, node, Instant.now());
        if (parent != null) {
            p.loadLevelEligible = parent.loadLevelEligible;
        }
        procs.put(pid, p);
        return p;
    }

    /** As spawn, pinned as asked and run by runner (null: taken up later), if node is UP; else null. */
    public synchronized SimProcess spawnIfUp(int node, SimProcess parent, String command, String tty, boolean pinned,
            Thread runner) {
        if (!membership.isUp(node)) {
            return null;
        }
        SimProcess p = spawn(node, parent, command, tty);
        p.pinned = pinned;
        if (runner != null) {
            runBy(p, runner);
        }
        return p;
    }

    /** The shell process of a new session (ssilab exec, a console) on node N; refused with what the learner reads. */
    public synchronized SimProcess startSession(int node, String command, String tty) {
        if (closed) {
            throw stopped();
        }
        Clms.checkRange(node);
        if (!membership.isUp(node)) {
            throw new UserError("node " + node + " of cluster " + id + " is " + membership.state(node)
                    + "; boot it with ssi-add " + id + " " + node);
        }
        try {
            return spawn(node, null, command, tty);
        } catch (ForkError e) {
            throw new UserError("cluster " + id + " has " + maxProcesses
                    + " processes, its most; kill some (ssilab exec " + id + " N -- kill PID) and try again");
        }
    }

    public synchronized SimProcess process(int pid) {
        SimProcess p = procs.get(pid);
        return p != null && p.alive ? p : null;
    }

    public synchronized List<SimProcess> processes() {
        return new ArrayList<>(procs.values());
    }

    /** Ends a process normally with this exit status (no-op if it was killed meanwhile). */
    public synchronized void exit(SimProcess p, int status, boolean keepZombie) {
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
    public synchronized boolean terminate(SimProcess p, int signal) {
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

    /** As terminate, but first runs {@code first} (holding the lock) if p is still alive, so its caller knows why p ended. */
    public synchronized boolean terminate(SimProcess p, int signal, Runnable first) {
        if (p.alive) {
            first.run();
        }
        return terminate(p, signal);
    }

    /** The pids of the live processes that match (the matcher runs holding the lock: it only looks). */
    public synchronized List<Integer> matching(Predicate<SimProcess> which) {
        List<Integer> pids = new ArrayList<>();
        for (SimProcess p : procs.values()) {
            if (which.test(p)) {
                pids.add(p.pid);
            }
        }
        return pids;
    }

    /** Sends sig to every matching process but init (which ignores it); returns the pids matched. */
    public synchronized List<Integer> signal(Predicate<SimProcess> which, int sig) {
        List<Integer> pids = matching(which);
        for (int pid : pids) {
            SimProcess p = procs.get(pid);
            if (p != null && pid != INIT_PID) {
                terminate(p, sig);
            }
        }
        return pids;
    }

    /** Where onnode runs a command: refused, or its own process moved there. */
    public enum Placement { MOVED, NOT_UP, PINNED }

    /** Moves p (the process about to run the command; null when it runs in the shell) to node, as onnode does. */
    public synchronized Placement place(SimProcess p, int node, boolean pin) {
        if (node < 1 || node > Membership.MAX_NODE || !membership.isUp(node)) {
            return Placement.NOT_UP;
        }
        if (p != null) {
            if (p.pinned && p.node != node) {
                return Placement.PINNED;
            }
            p.node = node; // a job made for this command moves there before it runs it
            p.pinned |= pin;
        }
        return Placement.MOVED;
    }

    /** Makes p's timer run tick every period from now (dbdemo's records); false when p has already ended. */
    public synchronized boolean repeat(SimProcess p, Runnable tick, long periodMillis) {
        if (!p.alive) {
            return false;
        }
        p.timer = scheduler.scheduleAtFixedRate(tick, 0, periodMillis, TimeUnit.MILLISECONDS);
        return true;
    }

    /** Marks p as run by the current thread (so a kill interrupts it); false if it is already dead. */
    public synchronized boolean runBy(SimProcess p, Thread t) {
        if (!p.alive) {
            return false;
        }
        p.runner = t;
        return true;
    }

    /** Called by a runner thread when its body is done; clears a late interrupt meant for the body. */
    public void release(SimProcess p) {
        synchronized (this) {
            p.runner = null;
        }
        Thread.interrupted();
    }

    /** Blocks until that child ends and returns its status; null when pid is not an unreaped child. */
    public synchronized Integer waitChild(int parentPid, int pid) throws InterruptedException {
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
    public synchronized Integer reap(int parentPid, int pid) {
        int[] z = zombies.get(pid);
        if (z != null && z[0] == parentPid) {
            zombies.remove(pid);
            return z[1];
        }
        return procs.containsKey(pid) ? null : -1;
    }

    /** Moves a process; returns null when done, else why it was refused. */
    public synchronized String migrate(int pid, int target) {
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
    public void close() {
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
