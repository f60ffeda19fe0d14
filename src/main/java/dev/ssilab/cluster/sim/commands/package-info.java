/**
 * The commands the simulator models, one class per kind, each with a {@code register} that names its
 * commands, and {@link dev.ssilab.cluster.sim.commands.CommandRegistry}, the table the shells run them
 * from. A command gets an {@link dev.ssilab.cluster.sim.shell.Invocation} (its words, node, output, process)
 * and acts on the model through its lock-taking methods; it takes no lock of the cluster itself.
 */
package dev.ssilab.cluster.sim.commands;
