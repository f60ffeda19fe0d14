package dev.ssilab.cluster.uml;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * One build at a time per cache folder (the kernel's, CRIU's): builds there share a work folder and
 * apt's package lists. A second ssilab gets a clear "busy" line instead of waiting or colliding.
 */
final class CacheLock {
    private CacheLock() {}

    /** Runs {@code work} holding {@code dir/.install.lock}, or throws {@code busy} when another process holds it. */
    static <T> T holding(Path dir, String busy, Supplier<T> work) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create " + dir + ": " + e.getMessage());
        }
        Path lockFile = dir.resolve(".install.lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) {
            if (lock == null) {
                throw new UserError(busy);
            }
            return work.get();
        } catch (IOException e) {
            throw new UserError("cannot lock " + lockFile + ": " + e.getMessage());
        }
    }
}
