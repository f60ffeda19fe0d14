package dev.ssilab.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes that are all or nothing: a crash or Ctrl-C leaves either the old file or the new one.
 *
 * <p>The data goes to a temp file in the same folder (so the rename stays on one filesystem), is
 * forced to disk, then renamed over the target with ATOMIC_MOVE.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void write(Path target, byte[] data) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                var buf = java.nio.ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            moveAtomically(tmp, target);
            tmp = null;
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("No space left")) {
                // ENOSPC is a bare IOException (no file named in it): say which folder is full and what to do,
                // and that the file there is as it was (only the temp file was being written, and it goes).
                throw new UncheckedIOException("disk full: cannot write " + target + " (no space left in " + dir
                        + "); " + (Files.exists(target) ? "it is as it was" : "nothing was written")
                        + ": free some space there and run the same command again", e);
            }
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temp file is hidden and named for its target
                }
            }
        }
    }

    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Renames {@code from} over {@code to}; both must be in the same folder. */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
