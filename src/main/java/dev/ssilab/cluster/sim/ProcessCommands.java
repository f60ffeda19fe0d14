package dev.ssilab.cluster.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The clusterwide process commands: ps, kill, where_pid, migrate, onnode, onall, sleep, wait, jobs,
 * pgrep, pkill, yes (a CPU hog, only with its output thrown away), and the subshells bash/sh -c and bash-ll.
 */
final class ProcessCommands {
    private ProcessCommands() {}

    private static final DateTimeFormatter STIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    static void register(Map<String, Command> m) {
        m.put("ps", ProcessCommands::ps);
        m.put("kill", ProcessCommands::kill);
        m.put("where_pid", ProcessCommands::wherePid);
        m.put("migrate", ProcessCommands::migrate);
        m.put("onnode", ProcessCommands::onnode);
        m.put("onall", ProcessCommands::onall);
        m.put("sleep", ProcessCommands::sleep);
        m.put("wait", ProcessCommands::waitCmd);
        m.put("jobs", ProcessCommands::jobs);
        m.put("yes", ProcessCommands::yes);
        m.put("pgrep", inv -> pgrep(inv, false));
        m.put("pkill", inv -> pgrep(inv, true));
        m.put("bash", inv -> subshell(inv, false));
        m.put("sh", inv -> subshell(inv, false));
        m.put("bash-ll", inv -> subshell(inv, true));
    }

    static Integer number(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int ps(Invocation inv) throws InterruptedException {
        boolean full = false;
        for (String a : inv.args()) {
            // as on uml: the usual letters (-e, -A, -f, -l, aux, ...) are taken, -f, -l, u and j as the
            // full listing; --kthreads and --plumbing add nothing here (the simulator has neither)
            if (a.equals("--kthreads") || a.equals("--plumbing")) {
                continue;
            }
            if (!a.matches("-?[aAeEfFlLjuxwHNT]+")) {
                return inv.notModelled("ps " + a);
            }
            full |= a.matches(".*[fFlju].*");
        }
        StringBuilder b = new StringBuilder();
        b.append(full ? String.format("%-8s %7s %7s %4s %5s %-14s %8s %s%n", "UID", "PID", "PPID", "NODE", "STIME", "TTY", "TIME", "CMD")
                : String.format("%7s %4s %-14s %8s %s%n", "PID", "NODE", "TTY", "TIME", "CMD"));
        SimCluster c = inv.cluster();
        synchronized (c) {
            for (SimProcess p : c.processes()) {
                String time = cpuTime(p);
                if (full) {
                    b.append(String.format("%-8s %7d %7d %4d %5s %-14s %8s %s%n", "root", p.pid, p.ppid, p.node,
                            STIME.format(p.started), p.tty, time, p.command));
                } else {
                    b.append(String.format("%7d %4d %-14s %8s %s%n", p.pid, p.node, p.tty, time, p.command));
                }
            }
        }
        inv.print(b.toString());
        return 0;
    }

    private static String cpuTime(SimProcess p) {
        long s = p.cpu > 0 ? Duration.between(p.started, Instant.now()).toSeconds() : 0;
        return String.format("%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static int kill(Invocation inv) throws InterruptedException {
        List<String> args = new ArrayList<>(inv.args());
        int sig = 15;
        if (!args.isEmpty() && args.get(0).equals("-l")) {
            List<String> names = new ArrayList<>();
            Signals.BY_NAME.forEach((n, v) -> names.add(v + ") SIG" + n));
            inv.print(String.join(" ", names) + "\n");
            return 0;
        }
        if (!args.isEmpty() && (args.get(0).equals("-s") || args.get(0).equals("-n"))) {
            if (args.size() < 2) {
                return inv.fail(2, args.get(0) + ": option requires an argument");
            }
            Integer s = Signals.parse(args.get(1));
            if (s == null) {
                return inv.notModelled("kill " + args.get(0) + " " + args.get(1));
            }
            sig = s;
            args = args.subList(2, args.size());
        } else if (!args.isEmpty() && args.get(0).startsWith("-") && args.get(0).length() > 1 && !args.get(0).equals("--")
                && !(args.get(0).matches("-\\d+") && args.size() == 1)) {
            // -SIG or -NUM names the signal; a lone -NUM is a process group to send SIGTERM to
            Integer s = Signals.parse(args.get(0).substring(1));
            if (s == null) {
                return inv.notModelled("kill " + args.get(0));
            }
            sig = s;
            args = args.subList(1, args.size());
        }
        if (!args.isEmpty() && args.get(0).equals("--")) {
            args = args.subList(1, args.size());
        }
        if (args.isEmpty()) {
            return inv.fail(2, "usage: kill [-s SIGNAL | -SIGNAL] PID | -PGRP ...");
        }
        int status = 0;
        SimCluster c = inv.cluster();
        for (String a : args) {
            Integer target = a.matches("%\\d+") ? inv.shell().jobPid(Integer.parseInt(a.substring(1))) : number(a);
            if (target == null && a.startsWith("%")) {
                inv.err().write("bash: kill: " + a + ": no such job\n");
                status = 1;
                continue;
            }
            if (target == null) {
                inv.err().write("bash: kill: " + a + ": arguments must be process or job IDs\n");
                status = 1;
                continue;
            }
            List<SimProcess> victims = new ArrayList<>();
            synchronized (c) {
                if (target < 0) {
                    for (SimProcess p : c.processes()) {
                        if (p.pgrp == -target) {
                            victims.add(p);
                        }
                    }
                } else if (c.process(target) != null) {
                    victims.add(c.process(target));
                }
                if (victims.isEmpty()) {
                    inv.err().write("bash: kill: (" + a + ") - No such process\n");
                    status = 1;
                    continue;
                }
                if (sig == 0) {
                    continue;
                }
                for (SimProcess p : victims) {
                    if (p.pid != SimCluster.INIT_PID) { // init ignores signals it has no handler for
                        c.terminate(p, sig);
                    }
                }
            }
        }
        return status;
    }

    /** pgrep [-f] PATTERN prints matching pids clusterwide; pkill [-SIG] [-f] PATTERN signals them. */
    private static int pgrep(Invocation inv, boolean kill) throws InterruptedException {
        boolean full = false;
        int sig = 15;
        String pattern = null;
        for (String a : inv.args()) {
            if (a.equals("-f")) {
                full = true;
            } else if (kill && pattern == null && a.startsWith("-") && Signals.parse(a.substring(1)) != null) {
                sig = Signals.parse(a.substring(1));
            } else if (a.startsWith("-") || pattern != null) {
                return inv.notModelled(inv.name() + " " + a);
            } else {
                pattern = a;
            }
        }
        if (pattern == null) {
            return inv.fail(2, "usage: " + inv.name() + (kill ? " [-SIGNAL]" : "") + " [-f] PATTERN");
        }
        java.util.regex.Pattern re;
        try {
            re = java.util.regex.Pattern.compile(FileCommands.basicToJava(pattern).replace("\\|", "|"));
        } catch (java.util.regex.PatternSyntaxException e) {
            return inv.fail(2, "invalid pattern '" + pattern + "'");
        }
        SimCluster c = inv.cluster();
        StringBuilder b = new StringBuilder();
        int found = 0;
        synchronized (c) {
            for (SimProcess p : c.processes()) {
                boolean self = inv.proc() != null && p.pid == inv.proc().pid;
                if (!self && p.pid != SimCluster.INIT_PID && re.matcher(full ? p.command : p.name()).find()) {
                    found++;
                    if (kill) {
                        c.terminate(p, sig);
                    } else {
                        b.append(p.pid).append('\n');
                    }
                }
            }
        }
        inv.print(b.toString());
        return found > 0 ? 0 : 1;
    }

    private static int wherePid(Invocation inv) throws InterruptedException {
        if (inv.args().isEmpty()) {
            return inv.fail(1, "usage: where_pid PID...");
        }
        int status = 0;
        for (String a : inv.args()) {
            Integer pid = number(a);
            SimProcess p = pid == null ? null : inv.cluster().process(pid);
            if (p == null) {
                status = inv.fail(1, pid == null ? "'" + a + "' is not a process id" : "no such process " + a);
                continue;
            }
            synchronized (inv.cluster()) {
                inv.print(p.node + "\n");
            }
        }
        return status;
    }

    private static int migrate(Invocation inv) throws InterruptedException {
        if (inv.args().size() != 2) {
            return inv.fail(1, "usage: migrate PID NODE");
        }
        Integer pid = number(inv.args().get(0));
        Integer node = number(inv.args().get(1));
        if (pid == null || node == null) {
            return inv.fail(1, "'" + String.join(" ", inv.args()) + "' is not PID NODE (two numbers)");
        }
        String refused = inv.cluster().migrate(pid, node);
        return refused == null ? 0 : inv.fail(1, refused);
    }

    /** The parsed words of {@code onnode [-p] N CMD...}. */
    record OnNode(int node, boolean pinned, List<String> command) {
        /** Null when the words are not a valid onnode call. */
        static OnNode parse(List<String> argv) {
            int i = 1;
            boolean pinned = false;
            if (i < argv.size() && argv.get(i).equals("-p")) {
                pinned = true;
                i++;
            }
            if (i >= argv.size() || number(argv.get(i)) == null) {
                return null;
            }
            return new OnNode(number(argv.get(i)), pinned, commandWords(argv.subList(i + 1, argv.size())));
        }
    }

    private static final java.util.regex.Pattern PLAIN_WORD = java.util.regex.Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /**
     * What onnode and onall run, as on uml (and as ssh takes it): several words are the command and
     * its arguments, each exactly; one word that is more than a plain name is a command line for sh.
     */
    static List<String> commandWords(List<String> words) {
        if (words.size() == 1 && !PLAIN_WORD.matcher(words.get(0)).matches()) {
            return List.of("sh", "-c", words.get(0));
        }
        return words;
    }

    private static int onnode(Invocation inv) throws InterruptedException {
        OnNode on = OnNode.parse(inv.argv());
        if (on == null || on.command().isEmpty()) {
            return inv.fail(1, "usage: onnode [-p] NODE COMMAND [ARGS...]");
        }
        SimCluster c = inv.cluster();
        synchronized (c) {
            if (on.node() < 1 || on.node() > Membership.MAX_NODE || !c.membership.isUp(on.node())) {
                return inv.fail(1, "node " + on.node() + " is " + c.membership.state(on.node()) + "; onnode runs commands on a node that is UP");
            }
            if (inv.proc() != null) {
                if (inv.proc().pinned && inv.proc().node != on.node()) {
                    return inv.fail(1, "process " + inv.proc().pid + " is pinned; it cannot move to node " + on.node());
                }
                inv.proc().node = on.node(); // a job made for this command moves there before it runs it
                inv.proc().pinned |= on.pinned();
            }
        }
        return inv.shell().runArgv(on.command(), new NodeShell.Ctx(on.node(), inv.pinned() || on.pinned(), inv.out(),
                inv.err(), inv.in()), inv.proc());
    }

    private static int onall(Invocation inv) throws InterruptedException {
        if (inv.args().isEmpty()) {
            return inv.fail(1, "usage: onall COMMAND [ARGS...]");
        }
        int status = 0;
        for (int n : inv.cluster().upNodesSnapshot()) {
            int st = inv.shell().runArgv(commandWords(inv.args()), new NodeShell.Ctx(n, inv.pinned(), inv.out(), inv.err(), inv.in()), null);
            status = status == 0 ? st : status;
        }
        return status;
    }

    private static int sleep(Invocation inv) throws InterruptedException {
        if (inv.args().size() != 1) {
            return inv.fail(1, "usage: sleep SECONDS (one number, with an optional s, m, h or d suffix, or infinity)");
        }
        Long ms = TimedProcesses.sleepMillis(inv.args().get(0));
        if (ms == null) {
            return inv.fail(1, "invalid time interval '" + inv.args().get(0) + "'");
        }
        if (ms < 0) {
            inv.shell().awaitEnd(inv.proc());
        } else {
            NodeShell.sleepMillis(ms);
        }
        return 0;
    }

    private static int waitCmd(Invocation inv) throws InterruptedException {
        if (inv.args().isEmpty()) {
            return inv.shell().waitJobs(null);
        }
        int st = 0;
        for (String a : inv.args()) {
            Integer pid = number(a.startsWith("%") ? null : a);
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

    private static int yes(Invocation inv) throws InterruptedException {
        if (inv.out() != Sink.NULL) {
            return inv.notModelled("yes writing to a terminal, file or pipe (use yes >/dev/null)");
        }
        synchronized (inv.cluster()) {
            inv.proc().cpu = 1.0;
        }
        inv.shell().awaitEnd(inv.proc());
        return 0;
    }

    /** bash/sh -c CMD, or bash-ll [-c CMD]: a child shell; bash-ll's processes may be load leveled. */
    private static int subshell(Invocation inv, boolean loadLeveled) throws InterruptedException {
        List<String> args = inv.args();
        SimProcess p = inv.proc();
        if (loadLeveled) {
            synchronized (inv.cluster()) {
                p.loadLevelEligible = true;
            }
        }
        if (args.size() >= 2 && args.get(0).equals("-c")) {
            NodeShell child = inv.shell().fork(p, inv.out(), false);
            return child.runScript(args.get(1), inv.out());
        }
        if (!args.isEmpty()) {
            return inv.notModelled(inv.name() + " " + String.join(" ", args) + " (only " + inv.name() + " -c COMMAND"
                    + (loadLeveled ? " and an interactive bash-ll" : "") + " are)");
        }
        if (inv.terminalInput() == null) {
            return 0; // no terminal: a shell reading an empty standard input ends at once
        }
        NodeShell child = inv.shell().fork(p, inv.out(), true);
        int st = child.interactive(inv.terminalInput());
        return child.exitRequested() ? st : 0;
    }
}
