package dev.ssilab.cluster.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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
        synchronized (c) {
            String local = inv.shell().path(arg);
            String path = arg.contains("/") || c.fs.lookup(local) instanceof SharedFs.RegularFile ? local : DIR + arg;
            try {
                for (String line : c.fs.read(path).split("\n")) {
                    if (!line.isBlank()) {
                        records.add(line);
                    }
                }
            } catch (SharedFs.FsError e) {
                return inv.fail(1, arg + ": no such database (" + path + ": " + e.getMessage() + ")");
            }
        }
        if (records.isEmpty()) {
            return inv.fail(1, arg + ": the database has no records");
        }
        SimProcess p = inv.proc();
        Object printing = new Object();
        int[] next = {0};
        Runnable tick = () -> {
            synchronized (printing) {
                int node;
                synchronized (c) {
                    if (!p.alive) {
                        return;
                    }
                    node = p.node;
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
        synchronized (c) {
            if (!p.alive) {
                return p.exitStatus;
            }
            p.timer = c.scheduler.scheduleAtFixedRate(tick, 0, interval, TimeUnit.MILLISECONDS);
        }
        ConsoleInput in = inv.terminalInput();
        if (in == null) {
            inv.shell().awaitEnd(p);
        } else {
            while (true) {
                synchronized (c) {
                    if (!p.alive) {
                        break;
                    }
                }
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
        synchronized (c) {
            return p.alive ? 0 : p.exitStatus;
        }
    }

    private static Integer randomOtherNode(SimCluster c, SimProcess p) {
        synchronized (c) {
            List<Integer> others = new ArrayList<>(c.membership.upNodes());
            others.remove(Integer.valueOf(p.node));
            return others.isEmpty() ? null : others.get(ThreadLocalRandom.current().nextInt(others.size()));
        }
    }
}
