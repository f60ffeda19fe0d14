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

    private static ShellSyntax.Cmd first(String line) throws Exception {
        return ShellParser.parse(line).items().get(0).chain().pipelines().get(0).commands().get(0);
    }

    @Test
    void reservedWordsStartCompoundCommandsOnlyWhereACommandStarts() throws Exception {
        assertEquals(ShellSyntax.For.class, ((ShellSyntax.Compound) first("for i in a b; do echo $i; done")).body().getClass());
        assertEquals(ShellSyntax.Simple.class, first("echo for i in a do done").getClass(), "an argument is a plain word");
        assertEquals(ShellSyntax.Simple.class, first("\"while\" true").getClass(), "a quoted word is a plain word");
        ShellSyntax.Compound loop = (ShellSyntax.Compound) first("while\n true\ndo\n :\ndone >/f 2>&1");
        assertEquals(2, loop.redirects().size());
        assertEquals("while\n true\ndo\n :\ndone", loop.text());
        ShellSyntax.If cond = (ShellSyntax.If) ((ShellSyntax.Compound) first("if a; then b; elif c; then d; else e; fi")).body();
        assertEquals(2, cond.branches().size());
        assertEquals(1, cond.otherwise().items().size());
        assertEquals(ShellSyntax.Subshell.class, ((ShellSyntax.Compound) first("(a; b)")).body().getClass());
        assertEquals(ShellSyntax.Group.class, ((ShellSyntax.Compound) first("{ a; b; }")).body().getClass());
        assertEquals(2, ShellParser.parse("for i in 1; do a & done; b").items().size());
    }

    @Test
    void arithmeticIsNotACommandSubstitutionOfASubshell() throws Exception {
        ShellSyntax.Simple s = (ShellSyntax.Simple) first("echo $((1 + $x)) $( (echo a) )");
        assertEquals(ShellSyntax.Arith.class, s.words().get(1).parts().get(0).getClass());
        assertEquals(ShellSyntax.Subst.class, s.words().get(2).parts().get(0).getClass());
    }

    @Test
    void brokenCompoundCommandsAreSyntaxErrorsInAshsWords() {
        assertEquals("syntax error: unexpected end of input (expecting \"done\")",
                assertThrows(ShellParser.SyntaxError.class, () -> ShellParser.parse("for i in 1; do echo")).getMessage());
        assertEquals("syntax error: unexpected \"then\"",
                assertThrows(ShellParser.SyntaxError.class, () -> ShellParser.parse("if then; fi")).getMessage());
        assertEquals("syntax error: unexpected \")\"",
                assertThrows(ShellParser.SyntaxError.class, () -> ShellParser.parse("echo a)")).getMessage());
        assertThrows(ShellParser.Unmodelled.class, () -> ShellParser.parse("f() { :; }"));
        assertThrows(ShellParser.Unmodelled.class, () -> ShellParser.parse("x | case a in esac"));
    }
}
