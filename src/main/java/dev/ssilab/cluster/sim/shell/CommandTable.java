package dev.ssilab.cluster.sim.shell;

/**
 * The commands a node shell can run, by name. The shell knows no command itself: it parses, expands
 * and redirects, then asks this table (the commands package fills it) what a name runs.
 */
public interface CommandTable {

    /** The command of that name, or null when the simulator does not model it. */
    Command find(String name);

    /** Whether it runs inside the shell, without a process of its own, as bash's builtins do. */
    boolean runsInShell(String name);
}
