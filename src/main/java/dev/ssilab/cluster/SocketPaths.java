package dev.ssilab.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chooses where a cluster manager's AF_UNIX socket lives.
 *
 * <p>A UNIX socket path must fit in sun_path (108 bytes with its NUL). The socket goes in the cluster's
 * folder when that path is short enough; otherwise in a fresh private (0700) folder under the temp
 * folder, whose path the state file records so clients find it and {@code ssi-stop} removes it.
 */
final class SocketPaths {
    static final int MAX_BYTES = 100;

    private SocketPaths() {}

    static Path choose(Path clusterDir, int id) {
        Path inside = clusterDir.toAbsolutePath().resolve(Registry.SOCKET_FILE);
        if (fits(inside)) {
            return inside;
        }
        for (Path tmp : new Path[] {Path.of(System.getProperty("java.io.tmpdir")), Path.of("/tmp")}) {
            Path candidate = tmp.toAbsolutePath().resolve("ssilab-" + id + "-XXXXXXXXXXXXXXXXXXXX").resolve("s");
            if (fits(candidate) && Files.isDirectory(tmp)) {
                try {
                    return Files.createTempDirectory(tmp, "ssilab-" + id + "-").resolve("s");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create a socket folder under " + tmp + ": " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalStateException("no place for the cluster manager socket: " + inside + " is too long and so is the temp folder");
    }

    /** True when the socket lives outside its cluster folder (so removing the folder does not remove it). */
    static boolean external(Path socket, Path clusterDir) {
        return socket != null && !socket.toAbsolutePath().startsWith(clusterDir.toAbsolutePath());
    }

    private static boolean fits(Path p) {
        return p.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }
}
