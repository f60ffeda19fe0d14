package dev.ssilab.cluster.sim.model;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * One process of the clusterwide process table. Its pid never changes; its node changes on migration.
 * Mutable fields are guarded by the cluster's lock (see the package doc): the model reads and writes
 * them holding it; code outside the model uses the methods below, which take it.
 */
public final class SimProcess {
    public final int pid;
    public int ppid;
    public int pgrp;
    final int sid;
    public final String tty;
    public final String command;
    public final Instant started;
    public int node;
    public boolean pinned;
    /** Started from bash-ll (or named in /cluster/etc/loadlevellist): the load leveler may move it. */
    public boolean loadLevelEligible;
    /** CPU demand: 1.0 for a busy loop, 0 for a sleeping process; the load leveler sums it per node. */
    public double cpu;
    boolean alive = true;
    int exitStatus;
    /** The thread running its body, interrupted by a kill; null for timer-driven processes. */
    Thread runner;
    /** The timer that ends or drives it (sleep, dbdemo), cancelled by a kill. */
    ScheduledFuture<?> timer;
    /** Called (outside the lock, on the scheduler) once it has ended. */
    Runnable onExit;
    /** The cluster's lock, which guards the mutable fields. */
    private final Object lock;

    SimProcess(Object lock, int pid, int ppid, int pgrp, int sid, String tty, String command, int node, Instant started) {
        this.lock = lock;
        this.pid = pid;
        this.ppid = ppid;
        this.pgrp = pgrp;
        this.sid = sid;
        this.tty = tty;
        this.command = command;
        this.node = node;
        this.started = started;
    }

    public int node() {
        synchronized (lock) {
            return node;
        }
    }

    /** The node it runs on, or null once it has ended. */
    public Integer nodeWhileAlive() {
        synchronized (lock) {
            return alive ? node : null;
        }
    }

    public boolean alive() {
        synchronized (lock) {
            return alive;
        }
    }

    /** 0 while it runs (the status is set only when it ends), then its exit status (128+signal when killed). */
    public int exitStatus() {
        synchronized (lock) {
            return exitStatus;
        }
    }

    /** Makes it a busy loop (yes >/dev/null), which the load leveler counts. */
    public void busy() {
        synchronized (lock) {
            cpu = 1.0;
        }
    }

    /** Lets the load leveler move it and the processes it starts (bash-ll). */
    public void makeLoadLevelEligible() {
        synchronized (lock) {
            loadLevelEligible = true;
        }
    }

    /** Waits until it has ended or the wait is interrupted (a kill of the waiter). */
    public void awaitEnd() throws InterruptedException {
        synchronized (lock) {
            while (alive) {
                lock.wait();
            }
        }
    }

    public String name() {
        String first = command.split(" ", 2)[0];
        return first.substring(first.lastIndexOf('/') + 1);
    }
}
