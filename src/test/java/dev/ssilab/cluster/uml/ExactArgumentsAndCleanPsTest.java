package dev.ssilab.cluster.uml;

import static dev.ssilab.cluster.uml.SsiToolsTest.ok;
import static dev.ssilab.cluster.uml.SsiToolsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On three real nodes: onnode and onall pass each word exactly (one word is a command line); ps lists
 * the learner's processes, not ssilab's plumbing; where_pid 1 follows init as cluster -v does. The sim
 * side of the same cases is the simulator's ExactArgumentsTest.
 */
class ExactArgumentsAndCleanPsTest {

    @Test
    void exactArgumentsCleanPsAndInitsNode(@TempDir Path dir) throws Exception {
        UmlBackend b = UmlBackendTest.newCluster(dir, 10005);
        try {
            b.boot(List.of(1, 2, 3));
            assertEquals("a b c\n", ok(b, 1, "onnode 2 sh -c 'echo a b c'"));
            assertEquals("a  b\n", ok(b, 1, "onnode 2 sh -c 'echo \"a  b\"'"));
            assertEquals("a   b $HOME * it's\n", ok(b, 1, "onnode 2 echo 'a   b' '$HOME' '*' \"it's\""));
            assertEquals("a   b $HOME *\n", ok(b, 1, "onnode 1 echo 'a   b' '$HOME' '*'"), "the local node too");
            assertEquals("line\n\n", ok(b, 3, "onnode 2 printf '%s\\n\\n' line"), "a trailing newline is kept");
            assertEquals("node1  x\nnode2  x\nnode3  x\n", ok(b, 2, "onall sh -c 'echo \"$(hostname)  x\"'"));
            assertEquals(4, run(b, 1, "onnode 3 'exit 4'").exitCode(), "one word is a command line");
            // what ssilab exec ID 2 -- sh -c 'echo "a  b"' sends (ExecCommandTest)
            assertEquals("a  b\n", ok(b, 2, "sh -c 'echo \"a  b\"'"));

            // one dbdemo; the count is run from a script, so that no command line of this test names it
            ok(b, 1, "onnode 3 'setsid dbdemo alphabet </dev/null >/dev/null 2>&1 &'");
            ok(b, 1, "printf '. /opt/ssi/lib/shell.rc\\nps -ef | grep -c db%s\\n' demo >/tmp/count");
            // dbdemo forks once as it starts (to ask clusternode_num): count once it has
            String count = "";
            for (int i = 0; i < 10 && !count.equals("2\n"); i++) {
                count = ok(b, 1, "sleep 0.5; sh /tmp/count");
            }
            assertEquals("2\n", count, "dbdemo's line and grep's own: " + ok(b, 1, "ps -ef"));
            assertEquals("2\n", ok(b, 2, "w=db; ps -ef | grep -c ${w}demo"), "as on sim (ExactArgumentsTest)");
            String ps = ok(b, 2, "ps");
            assertTrue(ps.startsWith("    PID NODE TTY                TIME CMD\n"), ps);
            assertTrue(ps.lines().anyMatch(l -> l.matches(" *3\\d{5} +3 .*dbdemo alphabet")), ps);
            for (String plumbing : List.of(" nc ", "ssi-agent", "ssi-serve", "ssi-fifo", "ssi-call", "keepalive --run", "ps --here")) {
                assertFalse(ps.contains(plumbing), plumbing + " is plumbing: " + ps);
            }
            assertFalse(ps.lines().anyMatch(l -> l.matches(".*:\\d\\d \\[.*\\]")), "no kernel threads: " + ps);
            assertEquals(1, ps.lines().filter(l -> l.matches(" +1 .*")).count(), "one pid 1, the cluster's init: " + ps);
            assertTrue(ok(b, 2, "ps --plumbing").contains("ssi-agent start"));
            assertTrue(ok(b, 2, "ps -e --kthreads").contains("[kthreadd]"));
            String full = ok(b, 3, "ps aux");
            assertTrue(full.startsWith("UID          PID    PPID NODE STIME TTY                TIME CMD\n"), full);
            assertEquals(1, run(b, 3, "ps -p 1").exitCode(), "a selection is refused, not ignored");
            assertEquals(1, run(b, 3, "pgrep '^nc$|ssi-agent'").exitCode(), "pgrep leaves plumbing out too");

            // a failover moves init: where_pid 1 says where, as cluster -v does
            assertEquals("1\n", ok(b, 3, "where_pid 1"));
            b.crash(1);
            String v = ok(b, 3, "cluster -v");
            String init = v.lines().filter(l -> l.matches("\\d+: UP .*\\binit\\b.*")).findFirst().orElseThrow().split(":")[0];
            assertEquals(init + "\n", ok(b, 3, "where_pid 1"), v);
            assertEquals(1, ok(b, 3, "ps").lines().filter(l -> l.matches(" +1 +" + init + " .*")).count());
        } finally {
            b.close();
        }
    }
}
