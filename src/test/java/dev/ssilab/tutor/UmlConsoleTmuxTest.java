package dev.ssilab.tutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cli.SsilabProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node's console in a real terminal: a two-node uml cluster, and node 1's console attached in
 * tmux with {@code ssilab console}, typed at as the HOWTO's reader would. Needs the machine's UML
 * kernel (the cache is shared; everything else is private to the test).
 */
class UmlConsoleTmuxTest {

    @Test
    void theConsoleIsATerminalFullScreenProgramsSingleKeysAndCtrlCWork(@TempDir Path dir) throws Exception {
        SsilabProcess ssilab = dev.ssilab.cluster.uml.UmlTestSupport.startedCluster(dir, 2);
        String id = "10001";
        try (TmuxTerminal tmux = new TmuxTerminal()) {
          try {
            tmux.start("c", ssilab, List.of(), "console", id, "1");
            tmux.waitFor("c", s -> s.contains("Ctrl-] leaves") && s.contains("node1:/#"), "node 1's prompt");

            // The node's console has the size of the learner's terminal, and follows it.
            String size = tmux.tmux("display-message", "-p", "-t", "c", "#{pane_height} #{pane_width}").strip();
            tmux.type("c", "stty size");
            tmux.waitFor("c", s -> s.contains("\n" + size + "\n"), "stty size = the pane's " + size);
            tmux.tmux("resize-window", "-t", "c", "-x", "91", "-y", "31");
            String resized = tmux.tmux("display-message", "-p", "-t", "c", "#{pane_height} #{pane_width}").strip();
            Thread.sleep(1000);
            tmux.type("c", "clear; stty size");
            tmux.waitFor("c", s -> s.contains("\n" + resized + "\n") || s.startsWith(resized + "\n"), "stty size = the resized pane's " + resized);

            // Ctrl-C ends the program in the foreground; the shell (and the console) stay.
            tmux.type("c", "sleep 100");
            Thread.sleep(500);
            tmux.keys("c", "C-c");
            tmux.type("c", "echo status=$?");
            tmux.waitFor("c", s -> s.contains("status=130"), "sleep ended by Ctrl-C (status 130)");
            // Ctrl-Z stops it instead, and the shell's job control knows it
            tmux.type("c", "sleep 200");
            Thread.sleep(500);
            tmux.keys("c", "C-z");
            tmux.type("c", "jobs; kill -9 %1");
            tmux.waitFor("c", s -> s.contains("Stopped") && s.contains("sleep 200"), "sleep stopped by Ctrl-Z, listed by jobs");

            // dbdemo where the HOWTO runs it, reacting to single keys: q quits without Enter. (Its keys
            // that move it are UmlMigrationTmuxTest's.)
            tmux.type("c", "cd ~/dbdemo; ./dbdemo alphabet");
            tmux.waitFor("c", s -> s.contains("B: Bravo (node 1)"), "dbdemo's records");
            tmux.keys("c", "q");
            tmux.type("c", "echo dbdemo=$?");
            tmux.waitFor("c", s -> s.contains("dbdemo=0"), "dbdemo quit by q alone");

            // vi, full screen: edits and saves a file.
            tmux.type("c", "vi /tmp/f");
            tmux.waitFor("c", s -> s.contains("/tmp/f"), "vi's screen");
            tmux.keys("c", "-l", "ihello from vi");
            Thread.sleep(300);
            tmux.keys("c", "Escape");
            Thread.sleep(300);
            tmux.type("c", ":wq");
            tmux.type("c", "clear; cat /tmp/f");
            String screen = tmux.waitFor("c", s -> s.contains("hello from vi\n"), "the file vi wrote");
            assertTrue(!screen.contains("SSILAB"), "no ssilab marker on the learner's screen:\n" + screen);

            // Ctrl-] leaves the console; the node keeps what was typed there.
            tmux.keys("c", "C-]");
            tmux.waitForExit("c");
            // One root for the cluster: node 2 sees at once what vi wrote on node 1, in /tmp.
            SsilabProcess.Result cat = ssilab.run("", "exec", id, "2", "--", "cat /tmp/f");
            assertEquals("hello from vi\n", cat.out(), cat.err());

            // The HOWTO's FIFO, typed in two consoles: made and written on node 1, read on node 2.
            tmux.start("n2", ssilab, List.of(), "console", id, "2");
            tmux.waitFor("n2", s -> s.contains("node2:/#"), "node 2's prompt");
            tmux.start("n1", ssilab, List.of(), "console", id, "1");
            tmux.waitFor("n1", s -> s.contains("node1:"), "node 1's prompt");
            tmux.type("n1", "mkfifo /fifo && echo made");
            tmux.waitFor("n1", s -> s.contains("\nmade\n"), "node 1's mkfifo /fifo");
            tmux.type("n1", "echo something >/fifo; echo written");
            tmux.type("n2", "cat /fifo");
            tmux.waitFor("n2", s -> s.contains("cat /fifo\nsomething\n"), "node 2 reading what node 1 wrote");
            tmux.waitFor("n1", s -> s.contains("\nwritten\n"), "node 1's writer done");

            // Arguments reach the other node exactly; ps shows the learner's processes, not ssilab's.
            tmux.type("n1", "clear; onnode 2 sh -c 'echo \"a  b\"'");
            tmux.waitFor("n1", s -> s.contains("\na  b\n"), "onnode's words passed exactly");
            tmux.type("n1", "clear; spawndaemon -d /usr/bin/dbdemo alphabet >/dev/null; echo dbdemos=$(ps -ef | grep -c dbdemo)");
            tmux.waitFor("n1", s -> s.contains("dbdemos=2\n"), "ps -ef | grep -c dbdemo: its own line and dbdemo's");
            tmux.type("n1", "clear; echo plumbing=$(ps -ef | grep -c -e ssi-agent -e 'nc -ll' -e timeout -e ssi-serve)");
            tmux.waitFor("n1", s -> s.contains("plumbing=1\n"), "no plumbing in ps (grep's own line only)");
            tmux.keys("n1", "C-]");
            tmux.keys("n2", "C-]");
            tmux.waitForExit("n1");
            tmux.waitForExit("n2");

            // Attached again, the learner sees where they were; exit ends the shell and lets them go.
            tmux.start("d", ssilab, List.of(), "console", id, "1");
            tmux.waitFor("d", s -> s.contains("node1:~/dbdemo#"), "the last prompt, replayed");
            tmux.type("d", "exit");
            tmux.waitForExit("d");
          } finally {
            SsilabProcess.Result stopped = ssilab.run("", "cluster", "stop", id);
            assertEquals(0, stopped.exit(), stopped.err());
          }
        }
    }
}
