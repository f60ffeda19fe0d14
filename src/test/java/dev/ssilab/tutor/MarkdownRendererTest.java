package dev.ssilab.tutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MarkdownRendererTest {
    final MarkdownRenderer plain = new MarkdownRenderer(40, false);
    final MarkdownRenderer color = new MarkdownRenderer(40, true);

    @Test
    void plainTextHasNoEscapesAndUnderlinesHeadings() {
        String out = plain.render("# Title\n\nSome *emphasis* and **bold** and `code`.\n");
        assertEquals("Title\n=====\n\nSome emphasis and bold and `code`.\n", out);
        assertTrue(!out.contains("\u001b["));
    }

    @Test
    void colorUsesAnsiStyles() {
        String out = color.render("**bold**");
        assertTrue(out.contains("\u001b[1m") || out.contains("\u001b[0;1m"), out);
    }

    @Test
    void paragraphsWrapAtTheWidthOnWordBoundaries() {
        String out = plain.render("one two three four five six seven eight nine ten eleven twelve thirteen");
        for (String line : out.lines().toList()) {
            assertTrue(line.length() <= 40, "line too long: " + line);
        }
        assertEquals("one two three four five six seven eight\nnine ten eleven twelve thirteen\n", out);
    }

    @Test
    void listsGetMarkersAndHangingIndent() {
        String out = plain.render("- first item that is long enough to wrap around the width\n- second\n\n1. one\n2. two\n");
        assertEquals("""
                • first item that is long enough to wrap
                  around the width
                • second

                1. one
                2. two
                """, out);
    }

    @Test
    void runBlocksShowAPromptAndNodeBlocksTheirNode() {
        assertEquals("    $ ssi-start 4\n", plain.render("```sh run\nssi-start 4\n```\n"));
        assertEquals("    node3$ cluster -v\n", plain.render("```sh run on=node:3\ncluster -v\n```\n"));
        assertEquals("    Cluster 10001 has been started\n", plain.render("```sh output\nCluster 10001 has been started\n```\n"));
    }

    @Test
    void linksShowTheirAddressAndQuotesABar() {
        assertEquals("the HOWTO <http://x.org/h>\n", plain.render("[the HOWTO](http://x.org/h)"));
        assertEquals("│ quoted\n", plain.render("> quoted"));
    }

    @Test
    void tablesAlignAndWrapWideColumns() {
        String out = plain.render("| a | b |\n|---|---|\n| x | a long cell that cannot fit in forty columns at all |\n");
        for (String line : out.lines().toList()) {
            assertTrue(line.length() <= 40, "line too long: '" + line + "'");
        }
        assertTrue(out.startsWith("a  b\n─  ─"), out);
        assertTrue(out.contains("\nx  a long cell"), out);
    }
}
