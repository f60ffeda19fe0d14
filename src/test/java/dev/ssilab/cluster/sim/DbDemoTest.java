package dev.ssilab.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbDemoTest {
    private static final Pattern RECORD = Pattern.compile("([A-Z]): \\S+ \\(node (\\d)\\)");

    @Test
    void dbdemoMovesOnADigitAndItsRecordsContinueWithoutGapOrRepeat(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 3); SimHarness.Console c = h.new Console(1)) {
            c.waitFor("]# ");
            c.type("dbdemo alphabet");
            c.waitFor("C: Charlie (node 1)\n");
            c.type("3");
            c.waitFor("(node 3)\n");
            int pid = h.backend.model().processes().stream().filter(p -> p.command.equals("dbdemo alphabet"))
                    .findFirst().orElseThrow().pid;
            assertEquals("3\n", h.ok(2, "where_pid " + pid));
            c.type("2");
            c.waitFor("(node 2)\n");
            c.type("");
            SimHarness.await("a move to a random other node", () -> c.screen().lines().filter(l -> RECORD.matcher(l).matches())
                    .reduce((a, b) -> b).map(l -> !l.endsWith("(node 2)")).orElse(false));
            c.type("q");
            c.waitFor("]# ");
            c.type("echo status $?");
            c.waitFor("status 0\n");
            // the first record follows the prompt on the screen (the client echoes what is typed, not us)
            List<String> records = c.screen().lines().map(l -> l.replaceFirst("^\\[root@node1 ~\\]# ", ""))
                    .filter(l -> RECORD.matcher(l).matches()).toList();
            assertTrue(records.size() >= 5, records.toString());
            char expected = 'A';
            for (String r : records) {
                Matcher m = RECORD.matcher(r);
                assertTrue(m.matches());
                assertEquals(String.valueOf(expected), m.group(1), "no gap, no repeat: " + records);
                expected = expected == 'Z' ? 'A' : (char) (expected + 1);
            }
            assertTrue(h.backend.model().processes().stream().noneMatch(p -> p.command.startsWith("dbdemo")));
        }
    }

    @Test
    void dbdemoRefusesToMoveToADownNodeAndKeepsPrinting(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 2); SimHarness.Console c = h.new Console(1)) {
            c.waitFor("]# ");
            c.type("dbdemo alphabet");
            c.waitFor("B: Bravo (node 1)\n");
            c.type("5");
            c.waitFor("dbdemo: cannot move to node 5: node 5 is NEVERUP; a process can only move to a node that is UP\n");
            c.waitFor("(node 1)\nE: ");
            c.close();
            c.done.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void dbdemoInTheBackgroundMovesWithMigrateAndPrintsOnItsTerminal(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 2)) {
            var run = h.execAsync(1, "dbdemo alphabet & p=$!; sleep 0.15; migrate $p 2; sleep 0.15; kill $p; wait $p; echo status $?");
            String out = run.get(10, TimeUnit.SECONDS).output();
            assertTrue(out.contains("(node 1)\n") && out.contains("(node 2)\n"), out);
            assertTrue(out.endsWith("status 143\n"), out);
            assertEquals("dbdemo: no-such: no such database (/usr/share/dbdemo/no-such: No such file or directory)\n",
                    h.exec(1, "dbdemo no-such").output());
        }
    }

    @Test
    void aMigratedProcessKeepsWritingToTheFileItHadOpen(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 3)) {
            int pid = Integer.parseInt(h.ok(1, "dbdemo alphabet >/tmp/out & echo $!").strip());
            // The background job opens /tmp/out on its own, as in a real shell: until then wc finds no file.
            SimHarness.await("two records", () -> h.exec(2, "wc -l /tmp/out").output().startsWith("2 "));
            h.ok(3, "migrate " + pid + " 3");
            SimHarness.await("a record from node 3", () -> h.ok(2, "cat /tmp/out").contains("(node 3)"));
            h.ok(2, "kill " + pid);
            List<String> lines = h.ok(1, "cat /tmp/out").lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                assertTrue(lines.get(i).startsWith((char) ('A' + i % 26) + ": "), "one file, no gap: " + lines);
            }
            assertTrue(lines.get(0).endsWith("(node 1)") && lines.get(lines.size() - 1).endsWith("(node 3)"), lines.toString());
        }
    }
}
