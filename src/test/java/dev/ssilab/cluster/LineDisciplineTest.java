package dev.ssilab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineDisciplineTest {

    private static String[] cook(String keys) throws Exception {
        ByteArrayOutputStream echo = new ByteArrayOutputStream();
        LineDiscipline d = new LineDiscipline(new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)), echo);
        String lines = new String(d.readAllBytes(), StandardCharsets.UTF_8);
        return new String[] {lines, echo.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void rawKeysBecomeEchoedLinesWithBackspaceKillAndArrowKeysDropped() throws Exception {
        String[] r = cook("echo hellx\u007fo\rjunk\u0015ls\u001b[A -l\r");
        assertEquals("echo hello\nls -l\n", r[0]);
        assertEquals("echo hellx\b \bo\njunk" + "\b \b".repeat(4) + "ls -l\n", r[1]);
    }

    @Test
    void ctrlCIsPassedOnAtOnceAndCtrlDOnAnEmptyLineEndsTheInput() throws Exception {
        String[] r = cook("sleep 9\rhalf\u0003\u0004never\r");
        assertEquals("sleep 9\n\u0003", r[0], "the half-typed line is dropped, Ctrl-D ends before 'never'");
        assertEquals("sleep 9\nhalf^C\n", r[1]);
    }
}
