/**
 * The simulated OpenSSI cluster itself: CLMS membership ({@link dev.ssilab.cluster.sim.model.Clms},
 * {@link dev.ssilab.cluster.sim.model.Membership}), the clusterwide process table
 * ({@link dev.ssilab.cluster.sim.model.SimCluster}, {@link dev.ssilab.cluster.sim.model.SimProcess}, timers
 * in {@link dev.ssilab.cluster.sim.model.TimedProcesses}), the shared root and what paths mean on a node
 * ({@link dev.ssilab.cluster.sim.model.SharedFs}, {@link dev.ssilab.cluster.sim.model.Namespace}, seeded by
 * {@link dev.ssilab.cluster.sim.model.RootImage}), keepalive, the load leveler, the consoles and terminals.
 * It is what the shell and the commands act on, and it imports neither of them: it knows processes
 * and files, not command lines.
 *
 * <h2>The locking rule</h2>
 * <ul>
 * <li><b>The lock</b> is the {@link dev.ssilab.cluster.sim.model.SimCluster} object's monitor, one per
 *     simulated cluster.
 * <li><b>It guards</b> every mutable part of the model: membership and where each service runs, the process
 *     table (each SimProcess's mutable fields, zombies, pid counters), the shared root's tree and FIFOs,
 *     keepalive's registrations, the load leveler's switches, and the map of consoles.
 * <li><b>The model takes it, nobody else.</b> Each public method of the model that reads or changes that
 *     state takes the lock itself (a SimProcess holds a reference to it for its own accessors); the lock is
 *     reentrant, so model methods call one another freely. The shell, the commands and SimBackend never
 *     write {@code synchronized} on the cluster: they call those methods, and where they need several
 *     things seen at one moment ({@code ps}, {@code cluster -v}) they hand a reader that only looks to
 *     {@link dev.ssilab.cluster.sim.model.SimCluster#snapshot}.
 * <li><b>Waiting</b> (a parent's wait, a FIFO's open and read, {@link dev.ssilab.cluster.sim.model.SimProcess#awaitEnd})
 *     waits on this monitor, which releases it; every change that could end a wait calls notifyAll, and a
 *     kill interrupts the process's runner thread, which ends its wait.
 * <li><b>Never under the lock</b>: writing to a client (a terminal only queues text, which its client's
 *     thread copies out), sleeping, running a command, a process's onExit callback (handed to the scheduler),
 *     or a line in a console log after a crash or a balancing move (written once the lock is released).
 * <li><b>Other locks are leaves.</b> A NodeConsole's log file, a pipe's Sink.Buffer, and dbdemo's
 *     printing order are locked on their own objects; the first two take no other lock while held, and
 *     dbdemo's may take the cluster's inside it but never the other way round, so no two threads can wait
 *     for each other.
 * </ul>
 * Why one lock: a simulated cluster is small and each step is short, while many steps cross parts (a crash
 * kills processes and moves services, a migration checks membership, a FIFO pairs a writer on one node with a
 * reader on another). One lock makes each such step atomic with no lock order to get wrong, for the threads
 * that run at once: sessions, background jobs, timers, keepalive restarts and the load leveler's rounds.
 */
package dev.ssilab.cluster.sim.model;
