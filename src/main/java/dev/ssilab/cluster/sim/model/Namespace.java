package dev.ssilab.cluster.sim.model;

import dev.ssilab.cluster.sim.model.SharedFs.Dir;
import dev.ssilab.cluster.sim.model.SharedFs.Entry;
import dev.ssilab.cluster.sim.model.SharedFs.Fifo;
import dev.ssilab.cluster.sim.model.SharedFs.FsError;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a path means on a node: the shared root, plus the virtual parts OpenSSI adds to it: node N's
 * devices under {@code /devfs/nodeN/} and {@code /cluster/nodeN/dev/} (gone while N is down), the local
 * {@code /dev}, and {@code /proc/PID/goto} (writing a node number migrates the process).
 */
public final class Namespace {
    private static final Pattern CONSOLE = Pattern.compile("/devfs/node(\\d+)/console|/cluster/node(\\d+)/dev/console");
    private static final Pattern NODE_DIR = Pattern.compile("/devfs/node(\\d+)|/cluster/node(\\d+)(/dev)?");
    private static final Pattern GOTO = Pattern.compile("/proc/(\\d+)/goto");
    private static final Pattern PROC_DIR = Pattern.compile("/proc/(\\d+)");

    private final SimCluster c;

    public Namespace(SimCluster c) {
        this.c = c;
    }

    private static int group(Matcher m) {
        return Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
    }

    /** Node whose console this path names (the local one for /dev/console), or null. */
    private Integer consoleNode(String abs, int localNode) {
        if (abs.equals("/dev/console")) {
            return localNode;
        }
        Matcher m = CONSOLE.matcher(abs);
        return m.matches() ? group(m) : null;
    }

    private boolean virtual(String abs) {
        return abs.equals("/proc") || abs.startsWith("/proc/") || abs.equals("/devfs") || abs.startsWith("/devfs/")
                || abs.startsWith("/dev/") || abs.equals("/dev") || abs.matches("/cluster/node\\d+(/.*)?");
    }

    /** Opens PATH for writing, as a redirection does; a FIFO blocks until a reader opens it. */
    public Sink openWrite(String abs, boolean append, int node) throws FsError, InterruptedException {
        if (abs.equals("/dev/null")) {
            return Sink.NULL;
        }
        Integer dev = consoleNode(abs, node);
        if (dev != null) {
            synchronized (c) {
                if (!c.membership.isUp(dev)) {
                    throw new FsError("No such file or directory");
                }
            }
            NodeConsole console = c.console(dev);
            return console::show;
        }
        Matcher g = GOTO.matcher(abs);
        if (g.matches()) {
            int pid = Integer.parseInt(g.group(1));
            if (c.process(pid) == null) {
                throw new FsError("No such file or directory");
            }
            return text -> {
                String t = text.trim();
                if (t.isEmpty()) {
                    return;
                }
                int target;
                try {
                    target = Integer.parseInt(t);
                } catch (NumberFormatException e) {
                    throw new Sink.WriteError(abs + ": write error: '" + t + "' is not a node number");
                }
                String refused = c.migrate(pid, target);
                if (refused != null) {
                    throw new Sink.WriteError(abs + ": write error: " + refused);
                }
            };
        }
        if (virtual(abs)) {
            throw new FsError(abs.startsWith("/proc") ? "Permission denied" : "No such file or directory");
        }
        Fifo fifo;
        synchronized (c) {
            Entry e = c.fs.lookup(abs);
            if (!(e instanceof Fifo f)) {
                c.fs.write(abs, "", append); // creates or truncates, or says why not
                return text -> {
                    synchronized (c) {
                        try {
                            c.fs.write(abs, text, true);
                        } catch (FsError err) {
                            throw new Sink.WriteError(abs + ": " + err.getMessage());
                        }
                    }
                };
            }
            fifo = f;
            c.fs.openWrite(fifo);
        }
        return new Sink() {
            @Override
            public void write(String text) {
                synchronized (c) {
                    if (!c.fs.writeChunk(fifo, text)) {
                        throw new Sink.WriteError("write error: Broken pipe");
                    }
                }
            }

            @Override
            public void close() {
                synchronized (c) {
                    c.fs.closeWrite(fifo);
                }
            }
        };
    }

    /** Copies PATH to out; a FIFO is copied as its data arrives, until its writers are done. */
    public void copy(String abs, Sink out, int node) throws FsError, InterruptedException {
        Fifo fifo = null;
        String text;
        synchronized (c) {
            checkReadable(abs, node);
            if (abs.equals("/dev/null")) {
                return;
            }
            Entry e = c.fs.lookup(abs);
            if (e instanceof Fifo f) {
                fifo = f;
                c.fs.openRead(fifo);
                text = null;
            } else {
                text = c.fs.read(abs);
            }
        }
        if (fifo == null) {
            out.write(text);
            return;
        }
        try {
            while (true) {
                String chunk;
                synchronized (c) {
                    chunk = c.fs.readChunk(fifo);
                }
                if (chunk == null) {
                    return;
                }
                out.write(chunk);
            }
        } finally {
            synchronized (c) {
                c.fs.closeRead(fifo);
            }
        }
    }

    private void checkReadable(String abs, int node) throws FsError {
        if (consoleNode(abs, node) != null) {
            throw new FsError("reading " + abs, true);
        }
        if (!abs.equals("/dev/null") && virtual(abs)) {
            if (exists(abs)) {
                throw new FsError("reading " + abs, true);
            }
            throw new FsError("No such file or directory");
        }
    }

    /** Opens PATH as standard input (a redirection with {@code <}). */
    public Input openRead(String abs, int node) throws FsError {
        synchronized (c) {
            checkReadable(abs, node);
            if (abs.equals("/dev/null")) {
                return Input.NULL;
            }
            Entry e = c.fs.lookup(abs);
            if (e instanceof Fifo) {
                return () -> {
                    Sink.Buffer b = new Sink.Buffer();
                    try {
                        copy(abs, b, node);
                    } catch (FsError err) {
                        return "";
                    }
                    return b.text();
                };
            }
            String text = c.fs.read(abs);
            return () -> text;
        }
    }

    public boolean exists(String abs) {
        try {
            list(abs);
            return true;
        } catch (FsError e) {
            return false;
        }
    }

    public boolean isDirectory(String abs) {
        synchronized (c) {
            if (abs.equals("/proc") || abs.equals("/devfs") || abs.equals("/dev") || PROC_DIR.matcher(abs).matches()) {
                return exists(abs);
            }
            Matcher m = NODE_DIR.matcher(abs);
            if (m.matches()) {
                return c.membership.isUp(group(m));
            }
            return c.fs.lookup(abs) instanceof Dir;
        }
    }

    /** The names in a directory (or the file's own name), with the virtual entries merged in. */
    public List<String> list(String abs) throws FsError {
        synchronized (c) {
            List<Integer> up = c.membership.upNodes();
            if (abs.equals("/proc")) {
                List<String> out = new ArrayList<>();
                for (SimProcess p : c.processes()) {
                    out.add(String.valueOf(p.pid));
                }
                return out;
            }
            Matcher pd = PROC_DIR.matcher(abs);
            if (pd.matches()) {
                if (c.process(Integer.parseInt(pd.group(1))) == null) {
                    throw new FsError("No such file or directory");
                }
                return List.of("goto");
            }
            if (GOTO.matcher(abs).matches()) {
                if (c.process(Integer.parseInt(abs.split("/")[2])) == null) {
                    throw new FsError("No such file or directory");
                }
                return List.of("goto");
            }
            if (abs.equals("/devfs")) {
                return up.stream().map(n -> "node" + n).toList();
            }
            if (abs.equals("/dev")) {
                return List.of("console", "null");
            }
            if (abs.equals("/dev/console") || abs.equals("/dev/null")) {
                return List.of(abs.substring(5));
            }
            Matcher nd = NODE_DIR.matcher(abs);
            if (nd.matches()) {
                if (!up.contains(group(nd))) {
                    throw new FsError("No such file or directory");
                }
                return List.of(abs.startsWith("/cluster") && nd.group(3) == null ? "dev" : "console");
            }
            Matcher cn = CONSOLE.matcher(abs);
            if (cn.matches()) {
                if (!up.contains(group(cn))) {
                    throw new FsError("No such file or directory");
                }
                return List.of("console");
            }
            if (virtual(abs)) {
                throw new FsError("No such file or directory");
            }
            List<String> names = c.fs.list(abs);
            if (abs.equals("/cluster")) {
                TreeSet<String> merged = new TreeSet<>(names);
                up.forEach(n -> merged.add("node" + n));
                return new ArrayList<>(merged);
            }
            return names;
        }
    }
}
