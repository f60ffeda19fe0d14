package dev.ssilab.cluster.sim.commands;

import dev.ssilab.cluster.sim.model.ConsoleInput;
import dev.ssilab.cluster.sim.model.SharedFs;
import dev.ssilab.cluster.sim.model.SimCluster;
import dev.ssilab.cluster.sim.model.SimProcess;
import dev.ssilab.cluster.sim.shell.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HOWTO's migration demo, {@code dbdemo FILE}: prints one record of FILE (looked up in
 * /usr/share/dbdemo/ unless it is a path) per interval, as {@code LETTER: WORD (node N)} with the node it
 * runs on now, starting over after the last record. On a console, a line with a digit 1-9 moves it to
 * that node, an empty line to a random other UP node, and q quits. Its records come from one counter
 * on one timer, so a migration never skips or repeats a record, and its output stays on its terminal.
 */
final class DbDemo {
    static final String DIR = "/usr/share/dbdemo/";

    private DbDemo() {}

    static String format(String record, int node) {
        String[] parts = record.strip().split("\\s+", 2);
        return parts.length == 2 ? parts[0] + ": " + parts[1] + " (node " + node + ")\n" : parts[0] + " (node " + node + ")\n";
    }

    static int run(Invocation inv) throws InterruptedException {
        if (inv.args().size() != 1) {
            return inv.fail(1, "usage: dbdemo DATABASE (e.g. dbdemo alphabet, a file in " + DIR + ")");
        }
        String arg = inv.args().get(0);
        SimCluster c = inv.cluster();
        List<String> records = new ArrayList<>();
        String local = inv.shell().path(arg);
        String path = arg.contains("/") || c.fs.isFile(local) ? local : DIR + arg;
        try {
            for (String line : c.fs.read(path).split("\n")) {
                if (!line.isBlank()) {
                    records.add(line);
                }
            }
        } catch (SharedFs.FsError e) {
            return inv.fail(1, arg + ": no such database (" + path + ": " + e.getMessage() + ")");
        }
        if (records.isEmpty()) {
            return inv.fail(1, arg + ": the database has no records");
        }
        SimProcess p = inv.proc();
        Object printing = new Object();
        int[] next = {0};
        Runnable tick = () -> {
            synchronized (printing) { // a record is printed whole, and never after q ended the demo
                Integer node = p.nodeWhileAlive();
                if (node == null) {
                    return;
                }
                String record = records.get(next[0] % records.size());
                next[0]++;
                try {
                    inv.out().write(format(record, node));
                } catch (InterruptedException | RuntimeException e) {
                    c.terminate(p, 13); // its output is gone (a broken pipe): SIGPIPE-like end
                }
            }
        };
        long interval = c.timing.dbdemoInterval().toMillis();
        if (!c.repeat(p, tick, interval)) {
            return p.exitStatus();
        }
        ConsoleInput in = inv.terminalInput();
        if (in == null) {
            p.awaitEnd();
        } else {
            while (p.alive()) {
                String line = in.pollKey(50);
                if (line == null) {
                    if (in.ended()) {
                        c.terminate(p, 1); // the terminal went away: hangup
                        break;
                    }
                    continue;
                }
                String t = line.length() == 1 ? line : line.strip(); // a raw client's space is a key, not an Enter
                if (t.equals("q")) {
                    synchronized (printing) {
                        c.exit(p, 0, false);
                    }
                    break;
                }
                Integer target = null;
                if (t.matches("[1-9]")) {
                    target = Integer.parseInt(t);
                } else if (t.isEmpty()) {
                    target = randomOtherNode(c, p);
                    if (target == null) {
                        inv.err().write("dbdemo: no other node is UP to move to\n");
                        continue;
                    }
                }
                if (target != null) {
                    String refused = c.migrate(p.pid, target);
                    if (refused != null) {
                        inv.err().write("dbdemo: cannot move to node " + target + ": " + refused + "\n");
                    }
                }
            }
        }
        return p.exitStatus(); // 0 while it still runs
    }

    private static Integer randomOtherNode(SimCluster c, SimProcess p) {
        List<Integer> others = new ArrayList<>(c.upNodesSnapshot());
        others.remove(Integer.valueOf(p.node()));
        return others.isEmpty() ? null : others.get(ThreadLocalRandom.current().nextInt(others.size()));
    }
}
