package dev.ssilab.tutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cli.SsilabProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HOWTO's migration demo on three real nodes, typed in node 1's console in tmux: dbdemo moves to
 * node 3 with the key 3, then to node 2 with migrate typed elsewhere, for real (CRIU). Its pid stays,
 * where_pid follows it, node 1's kernel no longer has it, and its records keep coming to node 1's
 * console, in order, none lost or repeated, each saying the node that printed it. Needs the
 * machine's UML kernel and CRIU ('ssilab criu install').
 */
class UmlMigrationTmuxTest {
    private static final Pattern RECORD = Pattern.compile("(?m)^([A-Z]): \\w+ \\(node (\\d+)\\)$");

    @Test
    void dbdemoMovesWithAKeyAndWithMigrateAndKeepsItsConsole(@TempDir Path dir) throws Exception {
        SsilabProcess ssilab = dev.ssilab.cluster.uml.UmlTestSupport.startedCluster(dir, 3);
        String id = "10001";
        try (TmuxTerminal tmux = new TmuxTerminal()) {
          try {
            tmux.start("c", ssilab, List.of(), "console", id, "1");
            tmux.waitFor("c", s -> s.contains("node1:/#"), "node 1's prompt");
            tmux.type("c", "clear; cd ~/dbdemo; ./dbdemo alphabet");
            tmux.waitFor("c", s -> s.contains("B: Bravo (node 1)"), "dbdemo's records from node 1");
            String pid = exec(ssilab, id, 2, "pgrep dbdemo").strip();
            assertTrue(pid.matches("1\\d{5}"), "one dbdemo, made on node 1: " + pid);

            tmux.keys("c", "3");
            tmux.waitFor("c", s -> s.contains("(node 3)"), "a record from node 3 after the key 3");
            assertEquals(pid + "\n", exec(ssilab, id, 2, "pgrep dbdemo"), "the same process");
            assertEquals("3\n", exec(ssilab, id, 2, "where_pid " + pid));
            assertEquals("gone\n", exec(ssilab, id, 1, "test -d /proc/" + pid + " && echo here || echo gone"),
                    "node 1's kernel no longer has it");

            assertEquals("", exec(ssilab, id, 3, "migrate " + pid + " 2"));
            tmux.waitFor("c", s -> s.contains("(node 2)"), "a record from node 2 after migrate");
            assertEquals("2\n", exec(ssilab, id, 1, "where_pid " + pid));
            assertEquals("gone\n", exec(ssilab, id, 3, "test -d /proc/" + pid + " && echo here || echo gone"));

            tmux.keys("c", "q");
            tmux.type("c", "echo dbdemo=$?");
            String screen = tmux.waitFor("c", s -> s.contains("dbdemo=0"), "dbdemo quit by q, on node 2, from node 1's console");

            // the records, in order: each letter follows the one before, and the nodes went 1, 3, 2
            Matcher m = RECORD.matcher(screen);
            List<String> nodes = new ArrayList<>();
            char last = 0;
            while (m.find()) {
                char letter = m.group(1).charAt(0);
                assertTrue(last == 0 || letter == last + 1, "record " + letter + " after " + last + ":\n" + screen);
                last = letter;
                if (nodes.isEmpty() || !nodes.get(nodes.size() - 1).equals(m.group(2))) {
                    nodes.add(m.group(2));
                }
            }
            assertEquals(List.of("1", "3", "2"), nodes, screen);
            assertEquals("", exec(ssilab, id, 1, "find /cluster/.ssi/home /cluster/.ssi/migrate -mindepth 1"),
                    "nothing left of the moves");
          } finally {
            SsilabProcess.Result stopped = ssilab.run("", "cluster", "stop", id);
            assertEquals(0, stopped.exit(), stopped.err());
          }
        }
    }

    private static String exec(SsilabProcess ssilab, String id, int node, String command) throws Exception {
        SsilabProcess.Result r = ssilab.run("", "exec", id, Integer.toString(node), "--", command);
        assertEquals(0, r.exit(), command + ": " + r.out() + r.err());
        return r.out();
    }
}
