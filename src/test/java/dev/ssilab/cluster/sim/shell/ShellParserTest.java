package dev.ssilab.cluster.sim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ssilab.cluster.sim.shell.ShellSyntax.Script;
import org.junit.jupiter.api.Test;

class ShellParserTest {

    private static int items(String line) throws Exception {
        return ShellParser.parse(line).items().size();
    }

    @Test
    void separatorsNewlinesAndCommentsSplitAScriptIntoItems() throws Exception {
        assertEquals(3, items("a; b & c"));
        assertEquals(2, items("a # comment; not a command\nb"));
        assertEquals(1, items("a &&\n  b ||\n c"));
        assertEquals(1, items("a |\n b"));
        assertEquals(2, items("a\r\n\r\nb\n"));
        assertEquals(1, items("echo a \\\n  b"));
        assertEquals(1, ShellParser.parse("echo a2>x").items().get(0).chain().pipelines().get(0).commands().get(0).redirects().size());
        assertEquals(">", ShellParser.parse("echo a2>x").items().get(0).chain().pipelines().get(0).commands().get(0).redirects().get(0).op());
        assertEquals("2>", ShellParser.parse("echo a;2>x").items().get(1).chain().pipelines().get(0).commands().get(0).redirects().get(0).op());
        Script s = ShellParser.parse("sleep 3 & echo x >/f 2>&1");
        assertEquals(true, s.items().get(0).background());
        assertEquals(2, s.items().get(1).chain().pipelines().get(0).commands().get(0).redirects().size());
    }

    @Test
    void badSyntaxIsRefusedWithBashsWords() {
        assertEquals("syntax error near unexpected token `newline'",
                assertThrows(ShellParser.SyntaxError.class, () -> ShellParser.parse("echo a |")).getMessage());
        assertEquals("syntax error near unexpected token `;'",
                assertThrows(ShellParser.SyntaxError.class, () -> ShellParser.parse("echo a && ; b")).getMessage());
        assertThrows(ShellParser.SyntaxError.class, () -> ShellParser.parse("echo 'open"));
        assertThrows(ShellParser.SyntaxError.class, () -> ShellParser.parse("echo \"open"));
        assertThrows(ShellParser.SyntaxError.class, () -> ShellParser.parse("echo >"));
        assertThrows(ShellParser.SyntaxError.class, () -> ShellParser.parse("echo $(x"));
    }
}
