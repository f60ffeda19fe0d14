package dev.ssilab.cluster.sim.commands;

import dev.ssilab.cluster.sim.model.Signals;
import dev.ssilab.cluster.sim.model.SimCluster;
import dev.ssilab.cluster.sim.model.SimProcess;
import dev.ssilab.cluster.sim.model.Sink;
import dev.ssilab.cluster.sim.model.TimedProcesses;
import dev.ssilab.cluster.sim.shell.Command;
import dev.ssilab.cluster.sim.shell.Invocation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The clusterwide process commands: ps, kill, pgrep, pkill, where_pid, migrate, sleep, and yes (a CPU
 * hog, only with its output thrown away).
 */
final class ProcessCommands {
    private ProcessCommands() {}

    private static final DateTimeFormatter STIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    static void register(Map<String, Command> m) {
        m.put("ps", ProcessCommands::ps);
        m.put("kill", ProcessCommands::kill);
        m.put("where_pid", ProcessCommands::wherePid);
        m.put("migrate", ProcessCommands::migrate);
        m.put("sleep", ProcessCommands::sleep);
        m.put("yes", ProcessCommands::yes);
        m.put("pgrep", inv -> pgrep(inv, false));
        m.put("pkill", inv -> pgrep(inv, true));
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
        boolean f = full;
        inv.print(inv.cluster().snapshot(c -> { // the table at one moment: no process listed twice or half moved
            StringBuilder b = new StringBuilder();
            b.append(f ? String.format("%-8s %7s %7s %4s %5s %-14s %8s %s%n",
                    "UID", "PID", "PPID", "NODE", "STIME", "TTY", "TIME", "CMD")
                    : String.format("%7s %4s %-14s %8s %s%n", "PID", "NODE", "TTY", "TIME", "CMD"));
            for (SimProcess p : c.processes()) {
                String time = cpuTime(p);
                if (f) {
                    b.append(String.format("%-8s %7d %7d %4d %5s %-14s %8s %s%n", "root", p.pid, p.ppid, p.node,
                            STIME.format(p.started), p.tty, time, p.command));
                } else {
                    b.append(String.format("%7d %4d %-14s %8s %s%n", p.pid, p.node, p.tty, time, p.command));
                }
            }
            return b.toString();
        }));
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
            Integer target = a.matches("%\\d+") ? inv.shell().jobPid(Integer.parseInt(a.substring(1))) : Invocation.number(a);
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
            int t = target;
            Predicate<SimProcess> victims = t < 0 ? p -> p.pgrp == -t : p -> p.pid == t;
            // signal 0 only asks whether they exist; init ignores signals it has no handler for
            if ((sig == 0 ? c.matching(victims) : c.signal(victims, sig)).isEmpty()) {
                inv.err().write("bash: kill: (" + a + ") - No such process\n");
                status = 1;
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
        Pattern re;
        try {
            re = Pattern.compile(TextCommands.basicToJava(pattern).replace("\\|", "|"));
        } catch (PatternSyntaxException e) {
            return inv.fail(2, "invalid pattern '" + pattern + "'");
        }
        SimCluster c = inv.cluster();
        int self = inv.proc() == null ? -1 : inv.proc().pid;
        boolean byCommand = full;
        Predicate<SimProcess> matches = p -> p.pid != self && p.pid != SimCluster.INIT_PID
                && re.matcher(byCommand ? p.command : p.name()).find();
        List<Integer> found = kill ? c.signal(matches, sig) : c.matching(matches);
        StringBuilder b = new StringBuilder();
        if (!kill) {
            found.forEach(pid -> b.append(pid).append('\n'));
        }
        inv.print(b.toString());
        return found.isEmpty() ? 1 : 0;
    }

    private static int wherePid(Invocation inv) throws InterruptedException {
        if (inv.args().isEmpty()) {
            return inv.fail(1, "usage: where_pid PID...");
        }
        int status = 0;
        for (String a : inv.args()) {
            Integer pid = Invocation.number(a);
            SimProcess p = pid == null ? null : inv.cluster().process(pid);
            if (p == null) {
                status = inv.fail(1, pid == null ? "'" + a + "' is not a process id" : "no such process " + a);
                continue;
            }
            inv.print(p.node() + "\n");
        }
        return status;
    }

    private static int migrate(Invocation inv) throws InterruptedException {
        if (inv.args().size() != 2) {
            return inv.fail(1, "usage: migrate PID NODE");
        }
        Integer pid = Invocation.number(inv.args().get(0));
        Integer node = Invocation.number(inv.args().get(1));
        if (pid == null || node == null) {
            return inv.fail(1, "'" + String.join(" ", inv.args()) + "' is not PID NODE (two numbers)");
        }
        String refused = inv.cluster().migrate(pid, node);
        return refused == null ? 0 : inv.fail(1, refused);
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
            inv.proc().awaitEnd();
        } else {
            TimeUnit.MILLISECONDS.sleep(ms);
        }
        return 0;
    }

    private static int yes(Invocation inv) throws InterruptedException {
        if (inv.out() != Sink.NULL) {
            return inv.notModelled("yes writing to a terminal, file or pipe (use yes >/dev/null)");
        }
        inv.proc().busy();
        inv.proc().awaitEnd();
        return 0;
    }
}
