package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How ssilab exec turns the words after -- into the line the node's shell runs. */
class ExecCommandTest {

    @Test
    void oneWordIsACommandLineAsSshTakesIt() {
        assertEquals("ps | grep dbdemo", ExecCommand.commandLine(List.of("ps | grep dbdemo")));
        assertEquals("kill $pid", ExecCommand.commandLine(List.of("kill $pid")));
    }

    @Test
    void severalWordsAreQuotedEachForTheNodesShell() {
        assertEquals("sh -c 'echo \"a  b\"'", ExecCommand.commandLine(List.of("sh", "-c", "echo \"a  b\"")));
        assertEquals("echo 'a   b' '$HOME' '*' 'it'\\''s' '' '&&' ls", ExecCommand.commandLine(
                List.of("echo", "a   b", "$HOME", "*", "it's", "", "&&", "ls")));
        assertEquals("kill -0 100042 /cluster/x.txt a=b,c:d@e%f+g", ExecCommand.commandLine(
                List.of("kill", "-0", "100042", "/cluster/x.txt", "a=b,c:d@e%f+g")), "plain words stay as they are");
    }
}
