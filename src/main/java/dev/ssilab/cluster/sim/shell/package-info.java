/**
 * The node shell: {@link dev.ssilab.cluster.sim.shell.ShellLexer} cuts a line into tokens,
 * {@link dev.ssilab.cluster.sim.shell.ShellParser} turns them into
 * {@link dev.ssilab.cluster.sim.shell.ShellSyntax}, {@link dev.ssilab.cluster.sim.shell.WordExpander}
 * expands its words ({@link dev.ssilab.cluster.sim.shell.Arithmetic} evaluates {@code $(( ))}),
 * {@link dev.ssilab.cluster.sim.shell.Interpreter} runs lists, chains, pipelines and redirections,
 * {@link dev.ssilab.cluster.sim.shell.CompoundCommands} loops, conditionals, groups and subshells,
 * {@link dev.ssilab.cluster.sim.shell.Jobs} keeps background jobs, and
 * {@link dev.ssilab.cluster.sim.shell.NodeShell} holds a session's state. It knows no command: it looks
 * each name up in a {@link dev.ssilab.cluster.sim.shell.CommandTable} and runs the
 * {@link dev.ssilab.cluster.sim.shell.Command} with an {@link dev.ssilab.cluster.sim.shell.Invocation}.
 * It uses the model through its lock-taking methods (see the model's package doc).
 */
package dev.ssilab.cluster.sim.shell;
