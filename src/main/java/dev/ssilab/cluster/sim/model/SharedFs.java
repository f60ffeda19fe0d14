package dev.ssilab.cluster.sim.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;

/**
 * The cluster's one shared root filesystem (CFS over the shared image), in memory: directories, regular
 * files and clusterwide FIFOs. Every node sees the same tree at once. {@code monitor} is the cluster's
 * lock (see the package doc): its public methods take it, and FIFO operations wait on it (so a kill,
 * which interrupts the waiter, ends the wait).
 */
public final class SharedFs {

    /** A refused file operation; the reason reads like strerror ("No such file or directory"). */
    public static final class FsError extends Exception {
        public final boolean notModelled;

        FsError(String reason) {
            this(reason, false);
        }

        /** @param notModelled the path exists but the simulator does not model this use of it */
        FsError(String reason, boolean notModelled) {
            super(reason);
            this.notModelled = notModelled;
        }
    }

    sealed interface Entry permits Dir, RegularFile, Fifo {}

    static final class Dir implements Entry {
        final TreeMap<String, Entry> children = new TreeMap<>();
    }

    static final class RegularFile implements Entry {
        final StringBuilder text = new StringBuilder();
    }

    /** A named pipe: a writer waits for a reader and a reader for a writer, as on Linux. */
    static final class Fifo implements Entry {
        final StringBuilder buffer = new StringBuilder();
        int readers;
        int writers;
        long writerOpens;
        long readerOpens;
    }

    /** The cluster's lock. */
    private final Object monitor;
    /**
     * What the root holds may not grow past this: the files live in ssilab's own memory, and a shell
     * loop such as {@code while :; do cat f >>f; done} doubles a file each turn. A real root image is
     * a few hundred MB; past this the writer gets the full disk's error, as it would there.
     */
    static final long CAPACITY = 64L << 20;
    /** What a FIFO holds unread at most (see writeChunk). */
    static final long FIFO_CAPACITY = 16L << 20;
    /** Characters in all regular files of the tree. */
    private long used;
    private final Dir root = new Dir();

    SharedFs(Object monitor) {
        this.monitor = monitor;
    }

    /** Resolves PATH against the working directory and removes . and .. components. */
    public static String normalize(String cwd, String path) {
        String full = path.startsWith("/") ? path : (cwd.endsWith("/") ? cwd : cwd + "/") + path;
        Deque<String> parts = new ArrayDeque<>();
        for (String p : full.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    private static List<String> components(String abs) {
        List<String> out = new ArrayList<>();
        for (String p : abs.split("/")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    Entry lookup(String abs) {
        synchronized (monitor) {
            Entry e = root;
            for (String p : components(abs)) {
                if (!(e instanceof Dir d)) {
                    return null;
                }
                e = d.children.get(p);
                if (e == null) {
                    return null;
                }
            }
            return e;
        }
    }

    private Dir parent(String abs) throws FsError {
        List<String> parts = components(abs);
        if (parts.isEmpty()) {
            throw new FsError("File exists");
        }
        Entry e = root;
        for (String p : parts.subList(0, parts.size() - 1)) {
            if (!(e instanceof Dir d)) {
                throw new FsError("Not a directory");
            }
            e = d.children.get(p);
            if (e == null) {
                throw new FsError("No such file or directory");
            }
        }
        if (!(e instanceof Dir d)) {
            throw new FsError("Not a directory");
        }
        return d;
    }

    private static String baseName(String abs) {
        return abs.substring(abs.lastIndexOf('/') + 1);
    }

    public void mkdir(String abs, boolean parents) throws FsError {
        synchronized (monitor) {
            if (parents) {
                Dir d = root;
                for (String p : components(abs)) {
                    Entry e = d.children.get(p);
                    if (e == null) {
                        Dir n = new Dir();
                        d.children.put(p, n);
                        d = n;
                    } else if (e instanceof Dir sub) {
                        d = sub;
                    } else {
                        throw new FsError("Not a directory");
                    }
                }
                return;
            }
            Dir d = parent(abs);
            if (d.children.containsKey(baseName(abs))) {
                throw new FsError("File exists");
            }
            d.children.put(baseName(abs), new Dir());
        }
    }

    public void mkfifo(String abs) throws FsError {
        synchronized (monitor) {
            Dir d = parent(abs);
            if (d.children.containsKey(baseName(abs))) {
                throw new FsError("File exists");
            }
            d.children.put(baseName(abs), new Fifo());
        }
    }

    public void touch(String abs) throws FsError {
        synchronized (monitor) {
            Dir d = parent(abs);
            d.children.putIfAbsent(baseName(abs), new RegularFile());
        }
    }

    public void remove(String abs, boolean recursive) throws FsError {
        synchronized (monitor) {
            Dir d = parent(abs);
            Entry e = d.children.get(baseName(abs));
            if (e == null) {
                throw new FsError("No such file or directory");
            }
            if (e instanceof Dir && !recursive) {
                throw new FsError("Is a directory");
            }
            d.children.remove(baseName(abs));
            used -= size(e);
        }
    }

    /** The characters an entry and everything under it hold. */
    private static long size(Entry e) {
        if (e instanceof RegularFile f) {
            return f.text.length();
        }
        if (e instanceof Fifo) {
            return 0; // a FIFO's data is counted by its own limit (writeChunk)
        }
        long n = 0;
        for (Entry child : ((Dir) e).children.values()) {
            n += size(child);
        }
        return n;
    }

    public List<String> list(String abs) throws FsError {
        synchronized (monitor) {
            Entry e = lookup(abs);
            if (e == null) {
                throw new FsError("No such file or directory");
            }
            if (e instanceof Dir d) {
                return new ArrayList<>(d.children.keySet());
            }
            return List.of(baseName(abs));
        }
    }

    /** Writes a regular file, creating it; {@code append} false truncates first. */
    public void write(String abs, String text, boolean append) throws FsError {
        synchronized (monitor) {
            Entry e = lookup(abs);
            if (e == null) {
                RegularFile f = new RegularFile();
                parent(abs).children.put(baseName(abs), f);
                e = f;
            }
            if (e instanceof Dir) {
                throw new FsError("Is a directory");
            }
            if (e instanceof RegularFile f) {
                long grows = text.length() - (append ? 0 : f.text.length());
                if (grows > 0 && used + grows > CAPACITY) {
                    throw new FsError("No space left on device");
                }
                used += grows;
                if (!append) {
                    f.text.setLength(0);
                }
                f.text.append(text);
            }
        }
    }

    public String read(String abs) throws FsError {
        synchronized (monitor) {
            Entry e = lookup(abs);
            if (e == null) {
                throw new FsError("No such file or directory");
            }
            if (e instanceof Dir) {
                throw new FsError("Is a directory");
            }
            if (e instanceof RegularFile f) {
                return f.text.toString();
            }
            throw new FsError("Is a FIFO"); // callers stream FIFOs with openRead/readChunk
        }
    }

    public boolean isFile(String abs) {
        return lookup(abs) instanceof RegularFile;
    }

    public boolean isFifo(String abs) {
        return lookup(abs) instanceof Fifo;
    }

    /** A regular file with something in it (test -s). */
    public boolean hasText(String abs) {
        synchronized (monitor) {
            return lookup(abs) instanceof RegularFile f && f.text.length() > 0;
        }
    }

    // ---- FIFOs (Namespace's): all called while holding the monitor; waits release it.

    void openWrite(Fifo f) throws InterruptedException {
        f.writers++;
        f.writerOpens++;
        monitor.notifyAll();
        long seen = f.readerOpens;
        try {
            while (f.readers == 0 && f.readerOpens == seen) {
                monitor.wait();
            }
        } catch (InterruptedException e) {
            closeWrite(f);
            throw e;
        }
    }

    void closeWrite(Fifo f) {
        f.writers--;
        monitor.notifyAll();
    }

    void openRead(Fifo f) throws InterruptedException {
        f.readers++;
        f.readerOpens++;
        monitor.notifyAll();
        long seen = f.writerOpens;
        try {
            while (f.writers == 0 && f.writerOpens == seen) {
                monitor.wait();
            }
        } catch (InterruptedException e) {
            closeRead(f);
            throw e;
        }
    }

    void closeRead(Fifo f) {
        f.readers--;
        if (f.readers == 0) {
            f.buffer.setLength(0); // data nobody read is lost with the last reader, as in a kernel pipe
        }
        monitor.notifyAll();
    }

    /** The next data written, or null at end of file (no writer left and nothing buffered). */
    String readChunk(Fifo f) throws InterruptedException {
        while (f.buffer.length() == 0 && f.writers > 0) {
            monitor.wait();
        }
        if (f.buffer.length() == 0) {
            return null;
        }
        String s = f.buffer.toString();
        f.buffer.setLength(0);
        return s;
    }

    /** False when no reader is left (the writer then gets "Broken pipe"). */
    boolean writeChunk(Fifo f, String text) {
        if (f.readers == 0) {
            return false;
        }
        // a kernel's pipe makes its writer wait at 64 KB; here the reader may not run until the writer
        // is done (stages of a line run one after the other), so data waits, up to a bound
        if (f.buffer.length() + (long) text.length() > FIFO_CAPACITY) {
            throw new Sink.WriteError("write error: No space left on device (the simulator keeps at most "
                    + (FIFO_CAPACITY >> 20) + " MB unread in a FIFO: read it as you write)");
        }
        f.buffer.append(text);
        monitor.notifyAll();
        return true;
    }
}
