package dev.ssilab.artifact;

import dev.ssilab.state.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temp files and folders of one operation, deleted when it ends and also when the JVM is stopped
 * (Ctrl-C runs shutdown hooks), so an interrupted extraction or download leaves no half file behind.
 *
 * <p>One instance per operation; its shutdown hook is removed on {@link #close()}.
 */
final class TempFiles implements AutoCloseable {
    private final Set<Path> paths = ConcurrentHashMap.newKeySet();
    private final Thread hook = new Thread(this::deleteAll, "ssilab-temp-cleanup");
    private volatile boolean stopping;

    TempFiles() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    <T extends Path> T register(T path) {
        paths.add(path);
        return path;
    }

    void release(Path path) {
        paths.remove(path);
    }

    /** True once the JVM is shutting down: writers stop creating files. */
    boolean stopping() {
        return stopping;
    }

    private void deleteAll() {
        stopping = true;
        for (Path p : paths) {
            deleteTree(p);
        }
    }

    static void deleteTree(Path root) {
        FileTrees.deleteQuietly(root);
    }

    @Override
    public void close() {
        for (Path p : paths) {
            deleteTree(p);
        }
        paths.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }
}
