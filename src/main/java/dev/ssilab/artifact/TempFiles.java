package dev.ssilab.artifact;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
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
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    dir.toFile().setWritable(true);
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    dir.toFile().setWritable(true); // a read-only folder from an archive must still go
                    dir.toFile().setExecutable(true);
                    dir.toFile().setReadable(true);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: temps are hidden and named for what they were
        }
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
