package dev.ssilab.cluster.sim;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * One process of the clusterwide process table. Its pid never changes; its node changes on migration.
 * Mutable fields are guarded by the {@link SimCluster} monitor.
 */
final class SimProcess {
    final int pid;
    int ppid;
    int pgrp;
    final int sid;
    final String tty;
    final String command;
    final Instant started;
    int node;
    boolean pinned;
    /** Started from bash-ll (or named in /cluster/etc/loadlevellist): the load leveler may move it. */
    boolean loadLevelEligible;
    /** CPU demand: 1.0 for a busy loop, 0 for a sleeping process; the load leveler sums it per node. */
    double cpu;
    boolean alive = true;
    int exitStatus;
    /** The thread running its body, interrupted by a kill; null for timer-driven processes. */
    Thread runner;
    /** The timer that ends or drives it (sleep, dbdemo), cancelled by a kill. */
    ScheduledFuture<?> timer;
    /** Called (outside the monitor, on the scheduler) once it has ended. */
    Runnable onExit;

    SimProcess(int pid, int ppid, int pgrp, int sid, String tty, String command, int node, Instant started) {
        this.pid = pid;
        this.ppid = ppid;
        this.pgrp = pgrp;
        this.sid = sid;
        this.tty = tty;
        this.command = command;
        this.node = node;
        this.started = started;
    }

    String name() {
        String first = command.split(" ", 2)[0];
        return first.substring(first.lastIndexOf('/') + 1);
    }
}
