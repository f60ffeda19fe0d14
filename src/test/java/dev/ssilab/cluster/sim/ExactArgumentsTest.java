package dev.ssilab.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * onnode and onall as on uml (ExactArgumentsAndCleanPsTest there): several words reach the command each
 * exactly, one word is a command line; where_pid 1 is init's node, as cluster -v says.
 */
class ExactArgumentsTest {

    @Test
    void onnodeAndOnallPassEachWordExactlyAndWherePidOneFollowsInit(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 3)) {
            assertEquals("a b c\n", h.ok(1, "onnode 2 sh -c 'echo a b c'"));
            assertEquals("a  b\n", h.ok(1, "onnode 2 sh -c 'echo \"a  b\"'"));
            assertEquals("a   b $HOME * it's\n", h.ok(1, "onnode 2 echo 'a   b' '$HOME' '*' \"it's\""));
            assertEquals("a   b $HOME *\n", h.ok(1, "onnode 1 echo 'a   b' '$HOME' '*'"));
            assertEquals("node1  x\nnode2  x\nnode3  x\n", h.ok(2, "onall sh -c 'echo \"$(hostname)  x\"'"));
            assertEquals(4, h.exec(1, "onnode 3 'exit 4'").exitCode(), "one word is a command line");
            // what ssilab exec ID 2 -- sh -c 'echo "a  b"' sends (ExecCommandTest)
            assertEquals("a  b\n", h.ok(2, "sh -c 'echo \"a  b\"'"));

            h.ok(1, "onnode 3 'dbdemo alphabet >/dev/null &'");
            String ps = h.ok(2, "ps");
            assertTrue(ps.lines().anyMatch(l -> l.matches(" *\\d+ +3 .*dbdemo alphabet")), ps);
            // as on a real shell, grep exists while ps lists: dbdemo's line and grep's own (the line
            // sent does not name dbdemo itself)
            assertEquals("2\n", h.ok(1, "w=db; ps -ef | grep -c ${w}demo"));
            assertTrue(h.ok(3, "ps aux").startsWith("UID "), "BSD letters are taken too");

            assertEquals("1\n", h.ok(3, "where_pid 1"));
            h.backend.crash(1);
            String v = h.ok(3, "cluster -v");
            String init = v.lines().filter(l -> l.matches("\\d+: UP .*\\binit\\b.*")).findFirst().orElseThrow().split(":")[0];
            assertEquals(init + "\n", h.ok(3, "where_pid 1"), v);
        }
    }
}
