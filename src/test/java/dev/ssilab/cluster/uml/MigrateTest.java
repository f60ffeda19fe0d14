package dev.ssilab.cluster.uml;

import static dev.ssilab.cluster.uml.SsiToolsTest.ok;
import static dev.ssilab.cluster.uml.SsiToolsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.ExecResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real process migration on three real nodes (CRIU, built by 'ssilab criu install'): a counter that
 * writes through a file descriptor opened once on the shared root, and starts a child each round,
 * moves 1 -> 3 -> 2 -> 1 with migrate. Its pid stays, where_pid and ps follow it, the node it left no
 * longer has it, and the counter's lines go on with no gap and no repeat (the file offset moved
 * with it), written by the new node.
 */
class MigrateTest {
    /** The counter: i, then the node that wrote the line, through fd 3 (not O_APPEND: the offset must move). */
    private static final String COUNTER = "setsid sh -c 'exec 3>/tmp/count; i=0; while :; do i=$((i+1));"
            + " echo \"$i $(cat /proc/sys/kernel/hostname)\" >&3; sleep 0.2; done' </dev/null >/dev/null 2>&1 &";

    @Test
    void aProcessMovesWithItsPidItsFileOffsetAndItsChildren(@TempDir Path dir) throws Exception {
        UmlBackend b = UmlBackendTest.newCluster(dir, 10008);
        try {
            b.boot(List.of(1, 2, 3));
            assertEquals("yes\n", ok(b, 1, "test -x /opt/criu/bin/criu && echo yes || echo 'no CRIU in the root: run ssilab criu install'"));
            ok(b, 1, COUNTER);
            String pid = awaitPid(b);
            awaitLines(b, 3);

            assertEquals("", ok(b, 2, "migrate " + pid + " 3"), "migrate is silent when it worked");
            assertEquals("3\n", ok(b, 1, "where_pid " + pid));
            List<String> ps = ok(b, 2, "ps").lines().filter(l -> l.contains("exec 3>/tmp/count")).toList();
            assertEquals(1, ps.size(), "ps lists it once: " + ps);
            assertTrue(ps.get(0).matches(" *" + pid + " +3 .*"), ps.get(0));
            assertEquals("gone\n", ok(b, 1, "test -d /proc/" + pid + " && echo here || echo gone"), "node 1's kernel no longer has it");
            assertEquals("here\n", ok(b, 3, "test -d /proc/" + pid + " && echo here || echo gone"));
            int before = lineCount(b);
            awaitLines(b, before + 3);

            assertEquals("", ok(b, 3, "migrate " + pid + " 2"), "a restored process can be checkpointed again");
            assertEquals("2\n", ok(b, 1, "where_pid " + pid));
            awaitLines(b, lineCount(b) + 3);
            assertEquals("", ok(b, 1, "migrate " + pid + " 1"));
            assertEquals("1\n", ok(b, 2, "where_pid " + pid));
            awaitLines(b, lineCount(b) + 3);

            List<String> lines = ok(b, 1, "cat /tmp/count").lines().toList();
            List<String> nodes = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String[] w = lines.get(i).split(" ");
                assertEquals(Integer.toString(i + 1), w[0], "line " + (i + 1) + " of " + lines);
                if (nodes.isEmpty() || !nodes.get(nodes.size() - 1).equals(w[1])) {
                    nodes.add(w[1]);
                }
            }
            assertEquals(List.of("node1", "node3", "node2", "node1"), nodes, "written on 1, 3, 2, then 1 again: " + lines);

            // refused, each with one line, and nothing moves
            assertEquals("migrate: node 7 is not up (cluster -v lists the nodes)\n", run(b, 2, "migrate " + pid + " 7 2>&1").output());
            assertEquals("migrate: no such process 123456\n", run(b, 2, "migrate 123456 2 2>&1").output());
            assertEquals("migrate: process 1 is a node's init, which never moves\n", run(b, 2, "migrate 1 2 2>&1").output());
            assertEquals("usage: migrate PID NODE\n", run(b, 2, "migrate 2>&1").output());
            // a move under way (its images' folder is its lock) is not started twice
            ok(b, 2, "mkdir -p /cluster/.ssi/migrate/" + pid);
            assertEquals("migrate: process " + pid + " is being moved already; try again in a moment\n",
                    run(b, 2, "migrate " + pid + " 3 2>&1").output());
            ok(b, 2, "rmdir /cluster/.ssi/migrate/" + pid);
            // a console's shell has a terminal: it stays, and migrate says why
            String console = ok(b, 2, "ps").lines().filter(l -> l.matches(" *\\d+ +2 tty0 .*sh -l")).findFirst().orElseThrow().trim().split(" +")[0];
            ExecResult refused = run(b, 1, "migrate " + console + " 3 2>&1");
            assertEquals(1, refused.exitCode(), refused.output());
            assertTrue(refused.output().startsWith("migrate: process " + console + " has node 2's console as its terminal"), refused.output());
            assertEquals("2\n", ok(b, 1, "where_pid " + console));
            assertFalse(ok(b, 1, "ls /cluster/.ssi/migrate").contains(console), "no images left behind");
            // onnode -p pins what it starts, as on OpenSSI
            ok(b, 1, "onnode -p 3 'setsid sleep 300 </dev/null >/dev/null 2>&1 &'");
            String pinned = ok(b, 1, "pgrep sleep").lines().filter(l -> l.startsWith("3")).findFirst().orElseThrow();
            assertEquals("migrate: process " + pinned + " is pinned to node 3 (started with onnode -p); it cannot move\n",
                    run(b, 2, "migrate " + pinned + " 1 2>&1").output());
            ok(b, 1, "kill " + pinned);
            ok(b, 1, "kill " + pid);
        } finally {
            b.close();
        }
    }

    /**
     * ps lists the nodes one after the other, while a process may be in its images (on no node) or
     * may have moved from a node not yet listed to one listed already: it must be listed once still.
     * Before ps looked at the moves under way and just made, 15 of 60 listings here missed it. pgrep
     * and pkill the same.
     */
    @Test
    void psListsAProcessOnceWhileItKeepsMoving(@TempDir Path dir) throws Exception {
        UmlBackend b = UmlBackendTest.newCluster(dir, 10009);
        try {
            b.boot(List.of(1, 2, 3));
            String pid = ok(b, 1, "setsid sh -c 'while :; do sleep 0.05; done' </dev/null >/dev/null 2>&1 & echo $!").strip();
            ok(b, 3, "setsid sh -c 'for i in $(seq 10); do migrate " + pid + " 2; migrate " + pid + " 1; done; echo done >/tmp/moved'"
                    + " </dev/null >/dev/null 2>&1 &");
            List<String> wrong = new ArrayList<>();
            int listings = 0;
            while (!ok(b, 3, "cat /tmp/moved 2>/dev/null || true").equals("done\n") && listings < 200) {
                List<String> mine = ok(b, 3, "ps").lines().filter(l -> l.trim().startsWith(pid + " ")).toList();
                listings++;
                if (mine.size() != 1) {
                    wrong.add(mine.toString());
                }
            }
            assertTrue(listings >= 10, "only " + listings + " listings while it moved");
            assertEquals(List.of(), wrong, "listings of " + listings + " that did not show pid " + pid + " once");
            assertEquals("1\n", ok(b, 2, "where_pid " + pid), "back on node 1 after 20 moves");
            ok(b, 2, "kill " + pid);

            // pkill finds it and kill reaches it, moving or not: a signal sent while it is in its images
            // waits for the move to end (5 in 8 such pkills missed it before)
            ok(b, 1, "printf '#!/bin/sh\\nwhile :; do sleep 0.05; done\\n' >/tmp/spin; chmod +x /tmp/spin");
            for (int delayMs : new int[] {200, 500, 800, 1100}) {
                String spin = ok(b, 1, "setsid /tmp/spin </dev/null >/dev/null 2>&1 & echo $!").strip();
                ok(b, 3, "rm -f /tmp/moved; setsid sh -c 'for i in $(seq 6); do migrate " + spin + " 2; migrate " + spin + " 1; done 2>/dev/null;"
                        + " echo done >/tmp/moved' </dev/null >/dev/null 2>&1 &");
                Thread.sleep(delayMs);
                ok(b, 2, "pkill spin");
                for (int i = 0; i < 120 && !ok(b, 3, "cat /tmp/moved 2>/dev/null || true").equals("done\n"); i++) {
                    Thread.sleep(250);
                }
                assertEquals("", run(b, 2, "pgrep spin").output(), "pkill " + delayMs + " ms into the moves missed " + spin);
            }
        } finally {
            b.close();
        }
    }

    private static String awaitPid(UmlBackend b) throws InterruptedException {
        for (int i = 0; i < 40; i++) {
            String pid = ok(b, 1, "ps").lines().filter(l -> l.contains("exec 3>/tmp/count")).map(l -> l.trim().split(" +")[0])
                    .findFirst().orElse("");
            if (!pid.isEmpty()) {
                return pid;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the counter did not start: " + ok(b, 1, "ps"));
    }

    private static int lineCount(UmlBackend b) {
        return Integer.parseInt(ok(b, 1, "wc -l </tmp/count").strip());
    }

    private static void awaitLines(UmlBackend b, int n) throws InterruptedException {
        for (int i = 0; i < 60 && lineCount(b) < n; i++) {
            Thread.sleep(250);
        }
        assertTrue(lineCount(b) >= n, "the counter wrote fewer than " + n + " lines: " + ok(b, 1, "cat /tmp/count"));
    }
}
