package dev.ssilab.cluster.sim.commands;

import dev.ssilab.cluster.sim.model.Input;
import dev.ssilab.cluster.sim.model.LineInput;
import dev.ssilab.cluster.sim.shell.Command;
import dev.ssilab.cluster.sim.shell.Invocation;
import java.util.List;
import java.util.Map;

/**
 * Commands that run inside the shell and change or report its state, as bash's builtins do:
 * echo, true, false, :, cd, pwd, exit, logout, export, read, wait, jobs, help.
 */
final class ShellBuiltins {
    private ShellBuiltins() {}

    static void register(Map<String, Command> m) {
        m.put("echo", ShellBuiltins::echo);
        m.put("true", inv -> 0);
        m.put(":", inv -> 0);
        m.put("false", inv -> 1);
        m.put("cd", ShellBuiltins::cd);
        m.put("pwd", inv -> {
            inv.print(inv.shell().cwd() + "\n");
            return 0;
        });
        m.put("exit", ShellBuiltins::exit);
        m.put("logout", ShellBuiltins::exit);
        m.put("export", ShellBuiltins::export);
        m.put("read", ShellBuiltins::read);
        m.put("wait", ShellBuiltins::waitCmd);
        m.put("jobs", ShellBuiltins::jobs);
        m.put("help", ShellBuiltins::help);
    }

    private static int echo(Invocation inv) throws InterruptedException {
        List<String> args = inv.args();
        boolean newline = true;
        boolean escapes = false;
        int i = 0;
        while (i < args.size() && args.get(i).matches("-[neE]+")) {
            newline &= !args.get(i).contains("n");
            escapes = args.get(i).contains("e") || (escapes && !args.get(i).contains("E"));
            i++;
        }
        String text = String.join(" ", args.subList(i, args.size()));
        if (escapes) {
            text = text.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
        }
        inv.print(newline ? text + "\n" : text);
        return 0;
    }

    private static int cd(Invocation inv) throws InterruptedException {
        String target = inv.args().isEmpty() ? "/root" : inv.args().get(0);
        String abs = inv.shell().path(target);
        if (!inv.shell().namespace().isDirectory(abs)) {
            inv.err().write("bash: cd: " + target + ": "
                    + (inv.shell().namespace().exists(abs) ? "Not a directory" : "No such file or directory") + "\n");
            return 1;
        }
        inv.shell().cd(abs);
        return 0;
    }

    private static int exit(Invocation inv) throws InterruptedException {
        int code = inv.shell().status();
        if (!inv.args().isEmpty()) {
            Integer n = Invocation.number(inv.args().get(0));
            if (n == null) {
                inv.err().write("bash: exit: " + inv.args().get(0) + ": numeric argument required\n");
                code = 2;
            } else {
                code = n & 0xff;
            }
        }
        inv.shell().requestExit();
        return code;
    }

    /**
     * read [-r] [-p PROMPT] [NAME...]: one line of standard input into the names, split on blanks, the
     * last name taking the rest (REPLY without names); status 1 at the end of input. From a loop's
     * input, one line a turn (see LineInput); from the terminal, the next line typed on the console.
     */
    private static int read(Invocation inv) throws InterruptedException {
        List<String> args = inv.args();
        boolean raw = false;
        int i = 0;
        for (; i < args.size() && args.get(i).startsWith("-") && !args.get(i).equals("-"); i++) {
            String a = args.get(i);
            if (a.equals("-r")) {
                raw = true;
            } else if (a.equals("-p") && i + 1 < args.size()) {
                inv.err().write(args.get(++i));
            } else {
                inv.err().write("bash: read: " + a + ": invalid option (read [-r] [-p PROMPT] [NAME...])\n");
                return 2;
            }
        }
        List<String> names = args.subList(i, args.size()).isEmpty() ? List.of("REPLY") : args.subList(i, args.size());
        for (String n : names) {
            if (!n.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                inv.err().write("bash: read: '" + n + "': not a valid identifier\n");
                return 2;
            }
        }
        LineInput.Line line = nextLine(inv);
        String text = line == null ? "" : raw ? line.text() : line.text().replaceAll("\\\\(.)", "$1");
        String[] fields = names.size() == 1 ? new String[] {text.strip()} : text.strip().split("[ \t]+", names.size());
        for (int k = 0; k < names.size(); k++) {
            inv.shell().setVariable(names.get(k), k < fields.length ? fields[k] : "");
        }
        return line != null && line.terminated() ? 0 : 1;
    }

    private static LineInput.Line nextLine(Invocation inv) throws InterruptedException {
        if (inv.in() instanceof LineInput li) {
            return li.readLine();
        }
        if (inv.in() == Input.EMPTY) { // the terminal: a console's next line, or nothing without one
            String typed = inv.terminalInput() == null ? null : inv.terminalInput().take();
            return typed == null ? null : new LineInput.Line(typed, true);
        }
        return ((LineInput) LineInput.of(inv.in())).readLine(); // a simple command's own input: its first line
    }

    private static int export(Invocation inv) {
        // variables are already set by the assignment words; export only marks them, which we need not model
        for (String a : inv.args()) {
            int eq = a.indexOf('=');
            if (eq > 0) {
                inv.shell().setVariable(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        return 0;
    }

    private static int waitCmd(Invocation inv) throws InterruptedException {
        if (inv.args().isEmpty()) {
            return inv.shell().waitJobs(null);
        }
        int st = 0;
        for (String a : inv.args()) {
            Integer pid = Invocation.number(a.startsWith("%") ? null : a);
            if (pid == null) {
                return inv.fail(1, "`" + a + "': not a pid");
            }
            st = inv.shell().waitJobs(pid);
            if (st == 127) {
                inv.err().write("bash: wait: pid " + pid + " is not a child of this shell\n");
            }
        }
        return st;
    }

    private static int jobs(Invocation inv) throws InterruptedException {
        for (String l : inv.shell().jobLines()) {
            inv.print(l + "\n");
        }
        return 0;
    }

    private static int help(Invocation inv) throws InterruptedException {
        StringBuilder b = new StringBuilder("ssilab sim: this node is simulated (OpenSSI model). Commands it models:\n");
        StringBuilder line = new StringBuilder(" ");
        for (String name : CommandRegistry.TABLE.names()) {
            if (line.length() + name.length() > 76) {
                b.append(line).append('\n');
                line = new StringBuilder(" ");
            }
            line.append(' ').append(name);
        }
        b.append(line).append('\n');
        b.append("plus ; && || & | ! quotes $? $! $(...) $((...)) > >> < 2>&1, for/while/until, break/continue,\n");
        b.append("if/elif/else, { } and ( ); anything else answers \"not modelled\" (exit 127).\n");
        inv.print(b.toString());
        return 0;
    }
}
