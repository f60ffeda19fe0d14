package dev.ssilab.cluster.uml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the kernels' control sockets go: a socket path must fit in 107 bytes. */
class NodeLauncherPathsTest {

    @Test
    void aShortClusterFolderKeepsTheSocketsInside(@TempDir Path dir) {
        Path cluster = dir.resolve("c/10001");
        try (NodeLauncher l = new NodeLauncher(10001, cluster, dir.resolve("root_fs"), dir.resolve("linux"), null, 16, 64, true)) {
            assertEquals(cluster.resolve("uml"), l.umlDir());
            assertFalse(Files.exists(cluster.resolve("uml.path")));
        }
    }

    @Test
    void aDeepClusterFolderGetsAPrivateFolderUnderTmpNamedInUmlPath(@TempDir Path dir) throws Exception {
        Path cluster = dir.resolve("x".repeat(70)).resolve("10001");
        Path first;
        try (NodeLauncher l = new NodeLauncher(10001, cluster, dir.resolve("root_fs"), dir.resolve("linux"), null, 16, 64, true)) {
            first = l.umlDir();
            assertTrue(first.startsWith("/tmp") && Files.isDirectory(first), first.toString());
            assertTrue(l.mconsole(15).toString().getBytes(StandardCharsets.UTF_8).length + 25 <= 107, l.mconsole(15).toString());
            assertEquals(first.toString(), Files.readString(cluster.resolve("uml.path")).strip());
        }
        assertFalse(Files.exists(first), "close removes the outside folder");
        assertFalse(Files.exists(cluster.resolve("uml.path")));

        // A manager that died left its outside folder: the next one cleans it.
        Path stale = Files.createTempDirectory(Path.of("/tmp"), "ssilab-uml-");
        Files.writeString(cluster.resolve("uml.path"), stale + "\n");
        try (NodeLauncher l = new NodeLauncher(10001, cluster, dir.resolve("root_fs"), dir.resolve("linux"), null, 16, 64, true)) {
            l.cleanStale();
            assertFalse(Files.exists(stale), "the earlier manager's folder is gone");
            assertTrue(Files.isDirectory(l.umlDir()));
        }
    }
}
