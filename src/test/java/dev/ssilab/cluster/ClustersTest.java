package dev.ssilab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.UserError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cluster API as the course engine calls it, in-process, against a real manager process (echo backend). */
class ClustersTest {
    @TempDir
    Path temp;

    Clusters clusters;
    Path root;

    @BeforeEach
    void setUp() throws IOException {
        clusters = new Clusters(SsilabPaths.fromEnvironment(Map.of(
                "XDG_STATE_HOME", temp.resolve("state").toString(), "HOME", temp.toString())));
        root = Files.writeString(temp.resolve("root_fs"), "image\n");
    }

    @AfterEach
    void tearDown() {
        for (ClusterInfo c : clusters.list()) {
            clusters.stop(c.id());
        }
    }

    @Test
    void startListAddCrashNodesAndStopThroughTheApi() {
        ClusterInfo info = clusters.start(new StartRequest("echo", 3, root, 1, null, null));
        assertEquals(10001, info.id());
        assertEquals(List.of(1, 2, 3), info.nodesUp());
        assertEquals("echo", info.backend());
        assertEquals(List.of(info), clusters.list());

        clusters.add(10001, List.of(4));
        CrashReport report = clusters.crash(10001, 1);
        assertEquals(new CrashReport(1, Map.of("CLMS master", 2, "init", 2, "root", 2)), report);
        List<NodeStatus> nodes = clusters.nodes(10001);
        assertEquals(List.of(NodeState.DOWN, NodeState.UP, NodeState.UP, NodeState.UP),
                nodes.stream().map(NodeStatus::state).toList());
        assertEquals(List.of(2, 3, 4), clusters.info(10001).nodesUp());

        UserError last = assertThrows(UserError.class, () -> clusters.crash(10001, 9));
        assertEquals("node 9 is not up in cluster 10001 (nodes up: 2 3 4)", last.getMessage());

        clusters.stop(10001);
        assertEquals(List.of(), clusters.list());
        assertEquals("no cluster 10001 (ssi-ls lists the clusters)",
                assertThrows(UserError.class, () -> clusters.nodes(10001)).getMessage());
    }

    @Test
    void execStreamsOutputWhileTheCommandRunsAndKeepsAllOfIt() {
        ClusterInfo info = clusters.start(new StartRequest("echo", 1, root, 1, null, null));
        Path go = info.dir().resolve("go");
        // The command waits for a file that only the live stream creates, on seeing the first line:
        // without streaming it would wait until its timeout.
        OutputStream live = new OutputStream() {
            private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                seen.write(b, off, len);
                if (seen.toString(StandardCharsets.UTF_8).contains("first\n")) {
                    try {
                        Files.writeString(go, "");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
        ExecResult result = clusters.exec(info.id(), 1,
                "echo first; while [ ! -e go ]; do sleep 0.02; done; echo second; exit 5", Duration.ofSeconds(30), live);
        assertEquals(new ExecResult(5, "first\nsecond\n"), result);
    }

    @Test
    void consoleRunsTheLearnersLinesInTheNodesShell() {
        clusters.start(new StartRequest("echo", 2, root, 1, null, null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        clusters.console(10001, 2, new ByteArrayInputStream("echo node $SSILAB_NODE\n".getBytes(StandardCharsets.UTF_8)), out);
        assertEquals("node 2\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theLastNodeUpCannotBeRemoved() {
        clusters.start(new StartRequest("echo", 2, root, 1, null, null));
        clusters.crash(10001, 2);
        UserError e = assertThrows(UserError.class, () -> clusters.crash(10001, 1));
        assertTrue(e.getMessage().startsWith("node 1 is the only node up in cluster 10001 and the last node cannot be removed"),
                e.getMessage());
        assertEquals(List.of(1), clusters.info(10001).nodesUp());
    }
}
