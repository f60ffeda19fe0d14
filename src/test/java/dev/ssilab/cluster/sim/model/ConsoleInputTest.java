package dev.ssilab.cluster.sim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleInputTest {

    @Test
    void aRawClientsKeysReachAKeyReaderAtOnceUnechoedAndTheShellGetsEchoedLines() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        StringBuffer echoed = new StringBuffer();
        ConsoleInput in = new ConsoleInput(new PipedInputStream(keyboard), "test-console", echoed::append);

        keyboard.write("3".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        assertEquals("3", in.pollKey(2000), "a single key, no Enter needed");
        keyboard.write("\r".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        assertEquals("", in.pollKey(2000), "Enter is the empty key");
        assertEquals("", echoed.toString(), "keys read by a program are not echoed");
        assertNull(in.pollKey(50));

        keyboard.write("lx\u007fs /\r".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        assertEquals("ls /", in.take());
        assertEquals("lx\b \bs /\n", echoed.toString());

        keyboard.write("\u0004".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        assertNull(in.take(), "Ctrl-D on an empty line ends the input");
        assertTrue(in.ended());
    }

    @Test
    void aCookedClientsLinesStandForKeys() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        ConsoleInput in = new ConsoleInput(new PipedInputStream(keyboard), "test-console");
        keyboard.write("3\n\n".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        assertEquals("3", in.pollKey(2000));
        assertEquals("", in.pollKey(2000));
    }
}
