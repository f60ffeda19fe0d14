package dev.ssilab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterMessagesTest {

    @Test
    void lsPrintsTheHowtosHeaderTableAndDateFormatInTheLocalZone() {
        Instant started = Instant.parse("2002-03-07T02:03:48Z");
        String text = ClusterMessages.listing(List.of(
                new ClusterInfo(10001, "sim", List.of(1, 2, 3, 4), started, false, Path.of("/x/10001")),
                new ClusterInfo(10002, "sim", List.of(), started, true, Path.of("/x/10002"))),
                ZoneId.of("America/Los_Angeles"));
        assertEquals("""
                The following clusters have been found:
                ID     Nodes    Date started
                10001  1 2 3 4  Mar 06 2002, 06:03:48 PM PST
                10002  -        Mar 06 2002, 06:03:48 PM PST  stale: its manager is gone (ssi-stop 10002 removes it)
                """, text);
    }

    @Test
    void noClustersIsSaidInWords() {
        assertEquals("No clusters have been found.\n", ClusterMessages.listing(List.of(), ZoneId.of("UTC")));
    }

    @Test
    void crashGroupsTheMovedServicesByTheirNewNode() {
        assertEquals("Node 1 of cluster 10001 has crashed; services now on node 2: CLMS master, root; services now on node 3: keepalive",
                ClusterMessages.crashed(10001, new CrashReport(1, Map.of("root", 2, "CLMS master", 2, "keepalive", 3))));
    }

    @Test
    void startSaysNodeOrNodes() {
        Instant now = Instant.now();
        assertEquals("Cluster 10001 has been started with 4 nodes",
                ClusterMessages.started(new ClusterInfo(10001, "sim", List.of(1, 2, 3, 4), now, false, Path.of("/"))));
        assertEquals("Cluster 10003 has been started with 1 node",
                ClusterMessages.started(new ClusterInfo(10003, "sim", List.of(1), now, false, Path.of("/"))));
    }
}
