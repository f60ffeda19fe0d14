package dev.ssilab.tutor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cli.SsilabProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learner walks lessons 5 to 8 of the shipped course in a real terminal, on the simulator, typing
 * what the HOWTO prints: ssi-start 4, ssi-ls, ssi-add 10001 5, ssi-rm 10001 1, cd ~/dbdemo,
 * ./dbdemo alphabet, and a key to move the demo.
 */
class CourseWalkTmuxTest {
    @TempDir
    Path tmp;

    final TmuxTerminal tmux = new TmuxTerminal();
    SsilabProcess ssilab;

    @AfterEach
    void stop() throws Exception {
        tmux.close();
        if (ssilab != null) {
            ssilab.run("", "cluster", "stop", "10001");
        }
    }

    @Test
    void theHowtosCommandsTypedInTheTutorBootCrashAndMigrate() throws Exception {
        ssilab = new SsilabProcess(tmp);
        Path work = tmp.resolve("data/ssilab/work");
        Files.createDirectories(work);
        Files.write(work.resolve("root_fs"), new byte[1 << 20]); // lesson 4 extracts it; the simulator only needs it to exist
        tmux.start("w", ssilab, List.of());
        String s = "w:0"; // ssi-start opens the node consoles as more windows of this session
        tmux.waitFor(s, x -> x.contains("ssilab introduction 1/2>"), "the first prompt");

        tmux.type(s, "goto booting-the-cluster");
        tmux.waitFor(s, x -> x.contains("ssilab booting-the-cluster 1/4>"), "lesson 5");
        tmux.type(s, "ssi-start 4");
        String screen = tmux.waitFor(s, x -> x.contains("ssilab booting-the-cluster 2/4>"), "the check of ssi-start 4 to pass");
        assertTrue(screen.contains("Cluster 10001 has been started with 4 nodes"), screen);

        tmux.type(s, "goto booting-a-node");
        tmux.waitFor(s, x -> x.contains("ssilab booting-a-node 1/3>"), "lesson 6");
        tmux.type(s, "ssi-ls");
        tmux.waitFor(s, x -> x.matches("(?s).*10001 +1 2 3 4 .*"), "ssi-ls's listing");
        tmux.type(s, "answer 10001");
        tmux.waitFor(s, x -> x.contains("ssilab booting-a-node 2/3>"), "the answer to pass");
        tmux.type(s, "ssi-add 10001 5");
        screen = tmux.waitFor(s, x -> x.contains("ssilab booting-a-node 3/3>"), "node 5 to boot");
        assertTrue(screen.contains("Node 5 has been added to cluster 10001"), screen);

        tmux.type(s, "goto crashing-a-node");
        tmux.waitFor(s, x -> x.contains("ssilab crashing-a-node 1/4>"), "lesson 7");
        tmux.type(s, "answer 1");
        tmux.waitFor(s, x -> x.contains("ssilab crashing-a-node 2/4>"), "the answer to pass");
        tmux.type(s, "ssi-rm 10001 1");
        screen = tmux.waitFor(s, x -> x.contains("ssilab crashing-a-node 3/4>"), "node 1 to crash");
        assertTrue(screen.contains("Node 1 of cluster 10001 has crashed; services now on node 2"), screen);

        tmux.type(s, "goto process-migration");
        tmux.waitFor(s, x -> x.contains("ssilab process-migration 1/"), "lesson 8");
        tmux.type(s, "cd ~/dbdemo");
        tmux.waitFor(s, x -> x.contains(":/root/dbdemo>"), "the prompt to show the node's folder");
        tmux.type(s, "./dbdemo alphabet");
        String typed = "/root/dbdemo> ./dbdemo alphabet"; // what dbdemo prints comes after it (the lesson's prose shows records too)
        tmux.waitFor(s, x -> after(x, typed).contains("B: Bravo (node "), "dbdemo's records");
        tmux.keys(s, "3"); // a single key, no Enter, as on OpenSSI's console
        tmux.waitFor(s, x -> after(x, typed).matches("(?s).*[A-Z]: \\S+ \\(node 3\\).*"), "a record from node 3");
        tmux.keys(s, "q");
        screen = tmux.waitFor(s, x -> after(x, typed).matches("(?s).*\\(node 3\\).*\\nssilab process-migration \\d/\\d+ node\\d+:/root/dbdemo> *\\n.*"), "q to end dbdemo");
        assertUnbroken(after(screen, typed));
        tmux.type(s, "quit");
        tmux.waitForExit("w");
    }

    /** The screen after the last place {@code marker} shows (all of it when it does not). */
    private static String after(String screen, String marker) {
        int at = screen.lastIndexOf(marker);
        return at < 0 ? "" : screen.substring(at + marker.length());
    }

    /** The records run A, B, C ... without a gap or a repeat across the move. */
    private static void assertUnbroken(String screen) {
        Matcher m = Pattern.compile("(?m)^([A-Z]): \\S+ \\(node (\\d+)\\)$").matcher(screen);
        char expected = 0;
        int moves = 0;
        int lastNode = -1;
        while (m.find()) {
            char letter = m.group(1).charAt(0);
            int node = Integer.parseInt(m.group(2));
            if (expected != 0) {
                assertTrue(letter == expected, "record " + letter + " came where " + expected + " was due:\n" + screen);
            }
            if (lastNode >= 0 && node != lastNode) {
                moves++;
            }
            lastNode = node;
            expected = letter == 'Z' ? 'A' : (char) (letter + 1);
        }
        assertTrue(lastNode == 3 && moves == 1, "dbdemo moved once, to node 3:\n" + screen);
    }
}
