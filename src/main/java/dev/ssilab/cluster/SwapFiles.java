package dev.ssilab.cluster;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The nodes' swap files, as the HOWTO lays them out: {@code swap_<node>} beside the root image.
 *
 * <p>They are created sparse (a hole of SWAP_MB MB costs no disk until a node writes to it), kept when
 * the cluster stops, and reused by the next cluster that boots the same node from the same root.
 */
public final class SwapFiles {
    private static final long MB = 1024L * 1024L;

    private SwapFiles() {}

    /** Node {@code node}'s swap file for the root image {@code root}. */
    public static Path path(Path root, int node) {
        return root.toAbsolutePath().resolveSibling("swap_" + node);
    }

    /** Creates the swap files of these nodes that do not exist yet; existing ones are left as they are. */
    static void ensure(Path root, List<Integer> nodes, int swapMb) {
        for (int node : nodes) {
            Path swap = path(root, node);
            if (Files.exists(swap)) {
                continue;
            }
            try (RandomAccessFile file = new RandomAccessFile(swap.toFile(), "rw")) {
                file.setLength(swapMb * MB);
            } catch (IOException e) {
                throw new UserError("cannot create swap file " + swap + ": " + e.getMessage()
                        + " (the folder of the root image must be writable)");
            }
        }
    }
}
