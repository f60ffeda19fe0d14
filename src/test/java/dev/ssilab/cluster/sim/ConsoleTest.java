package dev.ssilab.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleTest {

    @Test
    void aConsoleSaysOnceItIsSimulatedAndRunsLinesUntilExit(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 3); SimHarness.Console c = h.new Console(3)) {
            c.waitFor("[root@node3 ~]# ");
            c.type("hostname");
            c.waitFor("node3\n[root@node3 ~]# ");
            c.type("cd /tmp");
            c.waitFor("[root@node3 tmp]# ");
            c.type("sleep 100 &");
            c.waitFor("[1] ");
            c.type("whoami");
            c.waitFor("root\n");
            c.type("logout");
            c.done.get(5, TimeUnit.SECONDS);
            String screen = c.screen();
            assertTrue(screen.startsWith(String.format(SimBackend.NOTICE, 3)), screen);
            assertEquals(1, screen.split("is simulated", -1).length - 1, "told once per session");
            assertTrue(h.ok(1, "ps").contains("sleep 100"), "a background job outlives its console session");
            assertTrue(!h.ok(1, "hostname").contains("simulated"), "exec never carries the notice");
        }
    }

    @Test
    void ctrlCEndsTheForegroundCommandNotTheSession(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 1); SimHarness.Console c = h.new Console(1)) {
            c.waitFor("]# ");
            c.type("sleep 100; echo not reached");
            SimHarness.await("the sleep", () -> h.backend.model().processes().stream().anyMatch(p -> p.command.equals("sleep 100")));
            c.type("\u0003");
            c.type("echo after $?");
            c.waitFor("after 130\n");
            assertTrue(!c.screen().contains("not reached"));
        }
    }

    @Test
    void aConsoleOnACrashedNodeIsClosed(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 2); SimHarness.Console c = h.new Console(2)) {
            c.waitFor("]# ");
            h.backend.crash(2);
            c.done.get(5, TimeUnit.SECONDS);
            assertTrue(c.screen().contains("ssilab sim: node 2 went down; this console session is closed"), c.screen());
        }
    }

    @Test
    void bashLlStartsANestedShellWhoseProcessesMayBeLoadLeveled(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 2); SimHarness.Console c = h.new Console(1)) {
            c.waitFor("]# ");
            c.type("bash-ll");
            c.type("sleep 100 & echo inner $!");
            c.waitFor("inner ");
            SimHarness.await("the job", () -> h.backend.model().processes().stream().anyMatch(p -> p.command.equals("sleep 100")));
            assertTrue(h.backend.model().processes().stream().filter(p -> p.command.equals("sleep 100")).allMatch(p -> p.loadLevelEligible));
            c.type("exit");
            c.type("sleep 200 &");
            c.type("echo outer");
            c.waitFor("outer\n");
            SimHarness.await("the second job", () -> h.backend.model().processes().stream().anyMatch(p -> p.command.equals("sleep 200")));
            assertTrue(h.backend.model().processes().stream().filter(p -> p.command.equals("sleep 200")).noneMatch(p -> p.loadLevelEligible));
        }
    }

    @Test
    void aKillFromAnotherNodeFreesTheConsoleItsProcessHeld(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 3); SimHarness.Console c = h.new Console(1)) {
            c.waitFor("]# ");
            c.type("sleep 100; echo after $?");
            SimHarness.await("the sleep", () -> h.backend.model().processes().stream().anyMatch(p -> p.command.equals("sleep 100")));
            int pid = h.backend.model().processes().stream().filter(p -> p.command.equals("sleep 100")).findFirst().orElseThrow().pid;
            assertTrue(h.ok(3, "ps").contains(pid + "    1 node1/console"), h.ok(3, "ps"));
            h.ok(3, "kill " + pid);
            c.waitFor("after 143\n[root@node1 ~]# ");
        }
    }

    @Test
    void execStreamsOutputWhileTheCommandRuns(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 1)) {
            SimHarness.Output out = new SimHarness.Output();
            h.ok(1, "mkfifo /tmp/gate");
            var run = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> h.backend.exec(1, "echo first; cat /tmp/gate; echo second", java.time.Duration.ofSeconds(10), out));
            SimHarness.await("the first line while the command waits at the gate", () -> out.text().equals("first\n"));
            assertTrue(!run.isDone());
            h.ok(1, "echo open >/tmp/gate");
            assertEquals(0, run.get(5, TimeUnit.SECONDS));
            assertEquals("first\nopen\nsecond\n", out.text());
        }
    }
}
