package dev.ssilab.cluster.sim.commands;

import dev.ssilab.cluster.sim.shell.Command;
import dev.ssilab.cluster.sim.shell.CommandTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every command the simulator models, by name: the table the node shells run commands from, the list
 * help prints, and where each modelled program lies on the shared root (its file there says the
 * simulator models it, so ls and spawndaemon -d see it).
 */
public final class CommandRegistry implements CommandTable {
    public static final CommandRegistry TABLE = new CommandRegistry();

    /** Commands that run inside the shell, without a process of their own (as in bash). */
    private static final Set<String> IN_SHELL = Set.of("echo", "true", "false", ":", "exit", "cd", "pwd", "kill",
            "wait", "export", "onnode", "onall", "jobs", "test", "[", "help", "logout");
    /** Builtins bash has no program file for. */
    private static final Set<String> SHELL_ONLY = Set.of(":", "cd", "exit", "logout", "export", "wait", "jobs", "help");

    private final Map<String, Command> commands;

    private CommandRegistry() {
        Map<String, Command> m = new HashMap<>();
        ShellBuiltins.register(m);
        InfoCommands.register(m);
        FileCommands.register(m);
        TextCommands.register(m);
        ProcessCommands.register(m);
        RunCommands.register(m);
        ClusterCommands.register(m);
        m.put("dbdemo", DbDemo::run);
        m.put("test", TestCommand::run);
        m.put("[", TestCommand::run);
        commands = Map.copyOf(m);
    }

    @Override
    public Command find(String name) {
        return commands.get(name);
    }

    @Override
    public boolean runsInShell(String name) {
        return IN_SHELL.contains(name);
    }

    /** The names, sorted. */
    TreeSet<String> names() {
        return new TreeSet<>(commands.keySet());
    }

    /** The shared root's file for each modelled program: the SSI tools in /usr/bin (keepalive in /usr/sbin), the rest in /bin. */
    public List<String> programFiles() {
        List<String> files = new ArrayList<>();
        for (String name : commands.keySet()) {
            if (SHELL_ONLY.contains(name)) {
                continue;
            }
            String dir = switch (name) {
                case "cluster", "clusternode_num", "clusternode_getstate", "where_pid", "onnode", "onall", "migrate",
                        "loadlevel", "loads", "bash-ll", "dbdemo", "spawndaemon" -> "/usr/bin/";
                case "keepalive" -> "/usr/sbin/";
                default -> "/bin/";
            };
            files.add(dir + name);
        }
        return files;
    }
}
