package dev.ssilab.cluster;

import dev.ssilab.state.FileTrees;
import dev.ssilab.state.SsilabPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * The on-disk registry of clusters shared by every ssilab process: one folder per cluster id under
 * {@code $XDG_STATE_HOME/ssilab/clusters/}, holding its state file, its manager's log and (when the path
 * is short enough) its manager's socket.
 *
 * <p>Every change (allocating an id, rewriting a state file, removing a cluster) happens under one
 * registry-wide file lock, so two {@code ssi-start} never get the same id and a reader never sees a
 * half-written state file (state files are also replaced atomically, so reads need no lock).
 */
public final class Registry {
    static final String LOG_FILE = "manager.log";
    static final String SOCKET_FILE = "manager.sock";

    private final SsilabPaths paths;
    private final Path root;

    public Registry(SsilabPaths paths) {
        this.paths = paths;
        this.root = paths.clusters();
    }

    SsilabPaths paths() {
        return paths;
    }

    public Path root() {
        return root;
    }

    public Path dir(int id) {
        return root.resolve(Integer.toString(id));
    }

    Path stateFile(int id) {
        return dir(id).resolve(ClusterState.FILE_NAME);
    }

    public Path logFile(int id) {
        return dir(id).resolve(LOG_FILE);
    }

    RegistryLock lock() {
        return RegistryLock.acquire(root.resolve(".registry.lock"));
    }

    /** Takes the lowest free id (a folder not yet there), creates its folder and writes its first state file. */
    ClusterState allocate(IntFunction<ClusterState> initialState) {
        try (RegistryLock ignored = lock()) {
            OptionalInt free = ClusterIds.lowestFree(id -> Files.exists(dir(id)));
            if (free.isPresent()) {
                int id = free.getAsInt();
                Path dir = dir(id);
                Files.createDirectories(dir);
                makePrivate(dir);
                ClusterState state = initialState.apply(id);
                try {
                    state.writeTo(stateFile(id));
                } catch (RuntimeException e) {
                    // A folder without its state file (a full disk) would hold this id for ever and show as a
                    // corrupt cluster: take back the folder made just now, under the lock, before saying why.
                    FileTrees.deleteQuietly(dir);
                    throw e;
                }
                return state;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a cluster folder under " + root + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("no free cluster id left under " + root);
    }

    /**
     * Makes a folder 0700 whatever the umask: a cluster folder holds the manager's socket (which runs
     * commands on the nodes) and its log, both for the learner only.
     */
    static void makePrivate(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // no POSIX permissions on this file system: nothing to tighten
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir + " private: " + e.getMessage(), e);
        }
    }

    /** The ids that have a folder, lowest first. */
    List<Integer> ids() {
        List<Integer> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.matches("[0-9]{5}") && Files.isDirectory(entry)) {
                    ids.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the cluster registry " + root + ": " + e.getMessage(), e);
        }
        ids.sort(null);
        return ids;
    }

    /**
     * The state of cluster {@code id}: empty when there is no such cluster.
     *
     * @throws UncheckedIOException when its state file is missing or corrupt
     */
    Optional<ClusterState> read(int id) {
        if (!Files.isDirectory(dir(id))) {
            return Optional.empty();
        }
        try {
            return Optional.of(ClusterState.read(stateFile(id)));
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(dir(id))) {
                return Optional.empty(); // removed while we looked
            }
            throw new UncheckedIOException("cluster " + id + " has no state file " + e.getFile(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage() + " (ssi-stop " + id + " removes that cluster's entry)", e);
        }
    }

    /** Rewrites cluster {@code id}'s state under the registry lock; fails if the cluster was removed. */
    ClusterState update(int id, UnaryOperator<ClusterState> change) {
        try (RegistryLock ignored = lock()) {
            ClusterState current = read(id).orElseThrow(
                    () -> new IllegalStateException("cluster " + id + " is no longer in the registry " + root));
            ClusterState next = change.apply(current);
            next.writeTo(stateFile(id));
            return next;
        }
    }

    /** Deletes cluster {@code id}'s folder (and a socket folder kept outside it) under the registry lock. */
    void remove(int id, Path externalSocket) {
        try (RegistryLock ignored = lock()) {
            FileTrees.delete(dir(id));
            removeExternalSocket(externalSocket, id);
        }
    }

    /** Removes a socket kept outside the cluster folder, with its private folder (only one ssilab made). */
    void removeExternalSocket(Path socket, int id) {
        if (!SocketPaths.external(socket, dir(id))) {
            return;
        }
        Path parent = socket.toAbsolutePath().getParent();
        if (parent != null && parent.getFileName() != null
                && parent.getFileName().toString().startsWith("ssilab-" + id + "-")) {
            FileTrees.delete(parent);
        }
    }

    /**
     * True while the process that owns a cluster is running: same pid, same start time (a recycled pid
     * is another process), and not a zombie waiting to be reaped.
     */
    static boolean ownerAlive(ClusterState state) {
        if (!processAlive(state.pid(), state.pidStarted())) {
            return false;
        }
        // Once RUNNING the owner is the manager: a pid that is another program (a tampered or stale
        // entry, a recycled pid without a start time) is not, and must never be signalled as one.
        return state.phase() != ClusterState.Phase.RUNNING || isManagerOf(state.pid(), state.id());
    }

    /** True when process {@code pid} runs {@code ... clusterd ID}; true also where /proc cannot tell. */
    static boolean isManagerOf(long pid, int id) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException | RuntimeException e) {
            return !Files.isDirectory(Path.of("/proc/self")); // gone meanwhile (false), or no /proc to ask
        }
        String[] args = new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0");
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("clusterd") && args[i + 1].equals(Integer.toString(id))) {
                return true;
            }
        }
        return false;
    }

    static boolean processAlive(long pid, Instant started) {
        if (pid <= 0) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive() || zombie(pid)) {
            return false;
        }
        if (started != null) {
            Optional<Instant> actual = handle.get().info().startInstant();
            return actual.isEmpty() || actual.get().equals(started);
        }
        return true;
    }

    /** ProcessHandle reports a dead but unreaped process as alive; /proc knows better. */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (not Linux) or the process just ended: trust ProcessHandle
        }
    }
}
