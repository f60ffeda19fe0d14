package dev.ssilab.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.ExecResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostShellTest {
    @TempDir
    Path dir;

    @Test
    void runsInTheWorkdirWithTheCourseEnvironmentAndStreamsOutput() {
        HostShell sh = new HostShell(dir, Map.of("SSILAB_HOME", "/opt/ssilab"), false);
        ByteArrayOutputStream live = new ByteArrayOutputStream();
        ExecResult r = sh.run("pwd; echo \"$GREETING\"; echo \"$PATH\" | cut -d: -f1; echo oops >&2", false,
                Map.of("GREETING", "hello"), Duration.ofSeconds(10), live, new Cancellation());
        assertEquals(0, r.exitCode());
        assertEquals(dir + "\nhello\n/opt/ssilab/bin\noops\n", r.output());
        assertEquals(r.output(), live.toString(StandardCharsets.UTF_8));
    }

    @Test
    void stopOnErrorEndsAtTheFirstFailingCommand() {
        HostShell sh = new HostShell(dir, Map.of(), false);
        ExecResult r = sh.run("echo one; false; echo two", true, Map.of(), Duration.ofSeconds(10), new ByteArrayOutputStream(), new Cancellation());
        assertEquals(1, r.exitCode());
        assertEquals("one\n", r.output());
    }

    @Test
    void cancelStopsTheRunningCommandOnly() throws Exception {
        HostShell sh = new HostShell(dir, Map.of(), false);
        Cancellation cancel = new Cancellation();
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            cancel.cancel();
        });
        canceller.start();
        long start = System.nanoTime();
        ExecResult r = sh.run("sleep 20", false, Map.of(), Duration.ofSeconds(60), new ByteArrayOutputStream(), cancel);
        canceller.join();
        assertEquals(130, r.exitCode());
        assertTrue((System.nanoTime() - start) < 15_000_000_000L, "cancel ended the command early");
        ExecResult after = sh.run("echo still works", false, Map.of(), Duration.ofSeconds(10), new ByteArrayOutputStream(), cancel);
        assertEquals("still works\n", after.output());
    }

    @Test
    void timeoutReturns124() {
        HostShell sh = new HostShell(dir, Map.of(), false);
        ExecResult r = sh.run("echo started; sleep 20", false, Map.of(), Duration.ofMillis(300), new ByteArrayOutputStream(), new Cancellation());
        assertTrue(r.timedOut());
        assertEquals("started\n", r.output());
    }
}
