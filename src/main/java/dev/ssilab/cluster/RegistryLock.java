package dev.ssilab.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on the cluster registry, held across processes and across threads of one process.
 *
 * <p>Why two locks: an OS file lock belongs to the whole JVM, so a second thread of the same process
 * asking for it gets OverlappingFileLockException instead of waiting. The in-process lock, one per lock
 * file, makes such threads queue first; it is the only static state here, and it mirrors the
 * per-process nature of file locks.
 */
final class RegistryLock implements AutoCloseable {
    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private RegistryLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** Blocks until this process holds the lock file exclusively. */
    static RegistryLock acquire(Path lockFile) {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        threadLock.lock();
        FileChannel channel = null;
        try {
            Files.createDirectories(key.getParent());
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            return new RegistryLock(threadLock, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            threadLock.unlock();
            throw new UncheckedIOException("cannot lock the cluster registry " + key + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            threadLock.unlock();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            fileLock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
            threadLock.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
