package dev.ssilab.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.ExecResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedRootTest {

    @Test
    void aFileWrittenOnOneNodeIsReadOnAnotherAtOnce(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 3)) {
            h.ok(1, "mkdir -p /data/x && echo hello >/data/x/f && echo world >>/data/x/f");
            assertEquals("hello\nworld\n", h.ok(3, "cat /data/x/f"));
            assertEquals("world\n", h.ok(2, "grep -v hello </data/x/f"));
            assertEquals("2\n", h.ok(2, "cat /data/x/f | wc -l"));
            assertEquals("f\n", h.ok(3, "ls /data/x"));
            h.ok(2, "rm /data/x/f");
            ExecResult gone = h.exec(1, "cat /data/x/f");
            assertEquals(1, gone.exitCode());
            assertEquals("cat: /data/x/f: No such file or directory\n", gone.output());
        }
    }

    @Test
    void aFifoConnectsAWriterOnNode1WithAReaderOnNode2(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 2)) {
            h.ok(1, "mkfifo /fifo");
            CompletableFuture<ExecResult> writer = h.execAsync(1, "echo something >/fifo; echo written");
            Thread.sleep(150);
            assertFalse(writer.isDone(), "the writer blocks until a reader opens the FIFO");
            ExecResult reader = h.exec(2, "cat /fifo");
            assertEquals(new ExecResult(0, "something\n"), reader);
            assertEquals(new ExecResult(0, "written\n"), writer.join());

            CompletableFuture<ExecResult> early = h.execAsync(2, "cat /fifo | grep -c line");
            Thread.sleep(100);
            assertFalse(early.isDone(), "a reader blocks until a writer comes");
            h.ok(1, "echo line one >/fifo");
            assertEquals("1\n", early.join().output());
        }
    }

    @Test
    void aMessageToNode1sConsoleDeviceTypedOnNode3ShowsOnNode1sConsole(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 3); SimHarness.Console node1 = h.new Console(1)) {
            node1.waitFor("[root@node1 ~]# ");
            h.ok(3, "echo \"Hello World\" >/devfs/node1/console");
            node1.waitFor("Hello World\n");
            h.ok(2, "echo second >/cluster/node1/dev/console");
            node1.waitFor("second\n");
            String log = Files.readString(dir.resolve("node1/console.log"), StandardCharsets.UTF_8);
            assertTrue(log.contains("Hello World\nsecond\n"), log);
            assertFalse(Files.readString(dir.resolve("node3/console.log")).contains("Hello World"));
            assertEquals("console\n", h.ok(3, "ls /devfs/node1"));
            h.backend.crash(2);
            ExecResult gone = h.exec(3, "echo x >/devfs/node2/console");
            assertEquals(1, gone.exitCode(), "a crashed node's devices disappear");
            assertEquals("bash: /devfs/node2/console: No such file or directory\n", gone.output());
            assertEquals("node1\nnode3\n", h.ok(3, "ls /devfs"));
        }
    }

    @Test
    void shellSyntaxForTheLessons(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 2)) {
            assertEquals("a  b c /root\n", h.ok(1, "echo 'a  b' \"c $HOME\""));
            assertEquals("1\nok\n", h.ok(1, "false || echo $?; true && echo ok"));
            assertEquals("no\n", h.ok(1, "false && echo yes || echo no"));
            assertEquals("node2\n", h.ok(2, "echo $(hostname)"));
            assertEquals("x y\n", h.ok(1, "A=x; B=\"y\"; echo $A $B"));
            assertEquals("B: Bravo\n", h.ok(1, "grep Bravo /usr/share/dbdemo/alphabet | head -1 | grep -v nothing | cat")
                    .replace("B Bravo", "B: Bravo"));
            assertEquals("3\n", h.ok(1, "head -3 /usr/share/dbdemo/alphabet | wc -l"));
            ExecResult q = h.exec(1, "grep -q Zulu /usr/share/dbdemo/alphabet");
            assertEquals(new ExecResult(0, ""), q);
            assertEquals(1, h.exec(1, "grep -q Nope /usr/share/dbdemo/alphabet").exitCode());
            assertEquals(3, h.exec(1, "exit 3; echo not").exitCode());
            ExecResult syntax = h.exec(1, "echo a |");
            assertEquals(2, syntax.exitCode());
            assertTrue(syntax.output().startsWith("bash: syntax error"), syntax.output());
            assertEquals("err\n", h.ok(1, "cat /nope 2>/dev/null; echo err"));
            assertEquals("", h.ok(1, "cat /nope 2>/tmp/e || true"));
            assertEquals("cat: /nope: No such file or directory\n", h.ok(1, "cat /tmp/e"));
            assertEquals("yes\n", h.ok(1, "mkfifo /tmp/q; [ -p /tmp/q ] && test -d /tmp && ! test -f /nope && [ \"$(hostname)\" = node1 ] && test 3 -gt 2 && echo yes"));
            assertEquals(1, h.exec(1, "test \"$(clusternode_getstate 2)\" != UP").exitCode());
            assertEquals(0, h.exec(2, "sleep 100 & pgrep sleep >/tmp/p; test $(cat /tmp/p) = $! && pkill '^sle' && ! pgrep sleep").exitCode());
            assertEquals("one\ntwo\n", h.ok(1, "# a check block\necho one &&\n  echo two # done\n\ncluster | grep -q '1: UP'\n"));
        }
    }

    @Test
    void globsExpandInTheLastPathComponent(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            h.ok(1, "mkdir /g; touch /g/a1 /g/a2 /g/b1");
            assertEquals("/g/a1 /g/a2\n", h.ok(1, "echo /g/a*"));
            assertEquals("/g/a1 /g/b1\n", h.ok(1, "echo /g/?1"));
            assertEquals("/g/a*\n", h.ok(1, "echo '/g/a*'"));
            assertEquals("/g/z*\n", h.ok(1, "echo /g/z*"));
            h.ok(1, "cd /g && rm *");
            assertEquals("", h.ok(1, "ls /g"));
        }
    }
}
