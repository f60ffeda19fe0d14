package dev.ssilab.tutor;

import java.util.ArrayList;
import java.util.List;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Renders lesson markdown for a terminal from the commonmark AST: headings, emphasis, lists, code
 * blocks with light shell highlighting, links, block quotes and tables, wrapped to the width.
 *
 * <p>With color off (NO_COLOR, TERM=dumb, not a TTY) the same layout comes out as plain text, so
 * pipes and test transcripts read like the screen minus the escapes.
 */
public final class MarkdownRenderer {
    private static final AttributedStyle PLAIN = AttributedStyle.DEFAULT;
    private static final AttributedStyle BOLD = PLAIN.bold();
    private static final AttributedStyle CODE = PLAIN.foreground(AttributedStyle.YELLOW);
    private static final AttributedStyle DIM = PLAIN.faint();
    private static final AttributedStyle H1 = PLAIN.bold().underline().foreground(AttributedStyle.CYAN);
    private static final AttributedStyle H2 = PLAIN.bold().foreground(AttributedStyle.CYAN);

    private final Parser parser = Parser.builder().extensions(List.of(TablesExtension.create())).build();
    private final int width;
    private final boolean color;

    public MarkdownRenderer(int width, boolean color) {
        this.width = Math.max(30, Math.min(width, 120));
        this.color = color;
    }

    public boolean color() {
        return color;
    }

    public int width() {
        return width;
    }

    public String render(String markdown) {
        List<AttributedString> lines = new ArrayList<>();
        blocks(parser.parse(markdown), "", lines);
        while (!lines.isEmpty() && lines.get(lines.size() - 1).length() == 0) {
            lines.remove(lines.size() - 1);
        }
        StringBuilder sb = new StringBuilder();
        for (AttributedString l : lines) {
            sb.append(color ? l.toAnsi() : l.toString()).append('\n');
        }
        return sb.toString();
    }

    /** A one-line styled message (status, results) honouring the color setting. */
    public String styled(String text, AttributedStyle style) {
        return color ? new AttributedString(text, style).toAnsi() : text;
    }

    private void blocks(Node parent, String indent, List<AttributedString> out) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
            block(n, indent, out);
            boolean tightItem = parent instanceof ListItem && isTight(parent.getParent());
            if (n.getNext() != null && !tightItem) {
                out.add(AttributedString.EMPTY);
            }
        }
    }

    private void block(Node n, String indent, List<AttributedString> out) {
        if (n instanceof Heading h) {
            AttributedStyle style = h.getLevel() == 1 ? H1 : h.getLevel() == 2 ? H2 : BOLD;
            AttributedStringBuilder sb = new AttributedStringBuilder();
            inlines(h, sb, style);
            wrap(sb.toAttributedString(), indent, indent, out);
            if (!color && h.getLevel() <= 2) {
                int len = Math.min(width - indent.length(), sb.length());
                out.add(new AttributedString(indent + (h.getLevel() == 1 ? "=" : "-").repeat(len)));
            }
        } else if (n instanceof Paragraph) {
            AttributedStringBuilder sb = new AttributedStringBuilder();
            inlines(n, sb, PLAIN);
            wrap(sb.toAttributedString(), indent, indent, out);
        } else if (n instanceof FencedCodeBlock f) {
            code(f.getLiteral(), f.getInfo(), indent, out);
        } else if (n instanceof IndentedCodeBlock c) {
            code(c.getLiteral(), "", indent, out);
        } else if (n instanceof BulletList || n instanceof OrderedList) {
            int number = n instanceof OrderedList o ? orderedStart(o) : 0;
            for (Node item = n.getFirstChild(); item != null; item = item.getNext()) {
                String marker = n instanceof OrderedList ? (number++) + ". " : "• ";
                String pad = " ".repeat(marker.length());
                List<AttributedString> itemLines = new ArrayList<>();
                blocks(item, indent + pad, itemLines);
                for (int i = 0; i < itemLines.size(); i++) {
                    AttributedString l = itemLines.get(i);
                    if (i == 0 && l.length() >= indent.length() + pad.length()) {
                        l = new AttributedStringBuilder().append(indent).append(marker)
                                .append(l.subSequence(indent.length() + pad.length(), l.length())).toAttributedString();
                    }
                    out.add(l);
                }
                if (!isTight(n) && item.getNext() != null) {
                    out.add(AttributedString.EMPTY);
                }
            }
        } else if (n instanceof BlockQuote) {
            List<AttributedString> inner = new ArrayList<>();
            blocks(n, indent + "  ", inner);
            for (AttributedString l : inner) {
                AttributedString body = l.length() >= indent.length() + 2 ? l.subSequence(indent.length() + 2, l.length()) : AttributedString.EMPTY;
                out.add(new AttributedStringBuilder().append(indent).append("│ ", DIM).append(body).toAttributedString());
            }
        } else if (n instanceof ThematicBreak) {
            out.add(new AttributedString(indent + "─".repeat(width - indent.length()), DIM));
        } else if (n instanceof TableBlock) {
            table(n, indent, out);
        } else if (n instanceof HtmlBlock html) {
            html.getLiteral().lines().forEach(l -> out.add(new AttributedString(indent + l)));
        } else {
            AttributedStringBuilder sb = new AttributedStringBuilder();
            inlines(n, sb, PLAIN);
            wrap(sb.toAttributedString(), indent, indent, out);
        }
    }

    private static int orderedStart(OrderedList o) {
        Integer start = o.getMarkerStartNumber();
        return start == null ? 1 : start;
    }

    private static boolean isTight(Node list) {
        return list instanceof BulletList b ? b.isTight() : list instanceof OrderedList o && o.isTight();
    }

    private void inlines(Node parent, AttributedStringBuilder sb, AttributedStyle style) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof Text t) {
                sb.append(t.getLiteral(), style);
            } else if (n instanceof Code c) {
                sb.append(c.getLiteral(), color ? CODE : style);
                if (!color) {
                    // keep inline code recognisable without color
                    sb.setLength(sb.length() - c.getLiteral().length());
                    sb.append("`" + c.getLiteral() + "`", style);
                }
            } else if (n instanceof Emphasis) {
                inlines(n, sb, style.italic());
            } else if (n instanceof StrongEmphasis) {
                inlines(n, sb, style.bold());
            } else if (n instanceof Link link) {
                int before = sb.length();
                inlines(n, sb, style.underline().foreground(AttributedStyle.BLUE));
                String text = sb.subSequence(before, sb.length()).toString();
                if (!text.equals(link.getDestination())) {
                    sb.append(" <" + link.getDestination() + ">", DIM);
                }
            } else if (n instanceof Image img) {
                sb.append("[image: ", DIM);
                inlines(n, sb, DIM);
                sb.append("]", DIM);
            } else if (n instanceof SoftLineBreak) {
                sb.append(" ", style);
            } else if (n instanceof HardLineBreak) {
                sb.append("\n", style);
            } else if (n instanceof HtmlInline h) {
                sb.append(h.getLiteral(), style);
            } else {
                inlines(n, sb, style);
            }
        }
    }

    /** Greedy word wrap that keeps styles; hard breaks ("\n") start a new line. */
    private void wrap(AttributedString text, String firstIndent, String indent, List<AttributedString> out) {
        wrapWithin(text, firstIndent, indent, Math.max(10, width - indent.length()), out);
    }

    private static void wrapWithin(AttributedString text, String firstIndent, String indent, int max, List<AttributedString> out) {
        int start = 0;
        String s = text.toString();
        String prefix = firstIndent;
        while (start <= s.length()) {
            int nl = s.indexOf('\n', start);
            int end = nl < 0 ? s.length() : nl;
            int lineStart = start;
            while (end - lineStart > max) {
                int cut = s.lastIndexOf(' ', lineStart + max);
                if (cut <= lineStart) {
                    cut = lineStart + max;
                }
                out.add(new AttributedStringBuilder().append(prefix).append(text.subSequence(lineStart, cut)).toAttributedString());
                prefix = indent;
                lineStart = cut < s.length() && s.charAt(cut) == ' ' ? cut + 1 : cut;
            }
            out.add(new AttributedStringBuilder().append(prefix).append(text.subSequence(lineStart, end)).toAttributedString());
            prefix = indent;
            if (nl < 0) {
                break;
            }
            start = nl + 1;
        }
    }

    private void code(String literal, String info, String indent, List<AttributedString> out) {
        String[] words = info == null ? new String[0] : info.strip().split("\\s+");
        String lang = words.length > 0 ? words[0] : "";
        boolean shell = lang.isEmpty() || lang.equals("sh") || lang.equals("bash") || lang.equals("shell") || lang.equals("run");
        boolean output = info != null && List.of(words).contains("output");
        boolean run = info != null && List.of(words).contains("run");
        String node = "";
        for (String w : words) {
            if (w.startsWith("on=node:")) {
                node = "node" + w.substring(8);
            }
        }
        for (String line : literal.stripTrailing().lines().toList()) {
            AttributedStringBuilder sb = new AttributedStringBuilder().append(indent).append("    ");
            if (output) {
                sb.append(line, DIM);
            } else if (shell) {
                if (run) {
                    sb.append(node.isEmpty() ? "$ " : node + "$ ", DIM);
                }
                highlightShell(line, sb);
            } else {
                sb.append(line, CODE);
            }
            out.add(sb.toAttributedString());
        }
    }

    /** Shell highlighting: the command word bold, quoted strings green, comments dim. */
    private static void highlightShell(String line, AttributedStringBuilder sb) {
        String trimmed = line.stripLeading();
        if (trimmed.startsWith("#")) {
            sb.append(line, DIM);
            return;
        }
        boolean commandWord = true;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'' || c == '"') {
                int close = line.indexOf(c, i + 1);
                int end = close < 0 ? line.length() : close + 1;
                sb.append(line.substring(i, end), PLAIN.foreground(AttributedStyle.GREEN));
                i = end;
                commandWord = false;
            } else if (c == ' ' || c == '\t') {
                sb.append(String.valueOf(c));
                i++;
            } else if (c == '|' || c == ';' || c == '&') {
                sb.append(String.valueOf(c), PLAIN.foreground(AttributedStyle.MAGENTA));
                commandWord = true;
                i++;
            } else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
                sb.append(line.substring(i), DIM);
                return;
            } else {
                int end = i;
                while (end < line.length() && " \t|;&'\"".indexOf(line.charAt(end)) < 0) {
                    end++;
                }
                sb.append(line.substring(i, end), commandWord ? BOLD : PLAIN);
                commandWord = false;
                i = end;
            }
        }
    }

    private void table(Node table, String indent, List<AttributedString> out) {
        List<List<AttributedString>> rows = new ArrayList<>();
        int headerRows = 0;
        for (Node section = table.getFirstChild(); section != null; section = section.getNext()) {
            for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
                if (!(row instanceof TableRow)) {
                    continue;
                }
                List<AttributedString> cells = new ArrayList<>();
                for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                    AttributedStringBuilder sb = new AttributedStringBuilder();
                    inlines(cell, sb, section instanceof TableHead ? BOLD : PLAIN);
                    cells.add(sb.toAttributedString());
                }
                rows.add(cells);
                if (section instanceof TableHead) {
                    headerRows++;
                }
            }
        }
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] w = new int[cols];
        for (List<AttributedString> r : rows) {
            for (int c = 0; c < r.size(); c++) {
                w[c] = Math.max(w[c], r.get(c).columnLength());
            }
        }
        // Too wide for the screen: narrow the widest column until it fits; its cells wrap.
        int room = width - indent.length() - 2 * Math.max(0, cols - 1);
        while (java.util.Arrays.stream(w).sum() > room) {
            int widest = 0;
            for (int c = 1; c < cols; c++) {
                if (w[c] > w[widest]) {
                    widest = c;
                }
            }
            if (w[widest] <= 8) {
                break;
            }
            w[widest]--;
        }
        for (int i = 0; i < rows.size(); i++) {
            List<AttributedString> r = rows.get(i);
            List<List<AttributedString>> wrapped = new ArrayList<>();
            int height = 1;
            for (int c = 0; c < cols; c++) {
                List<AttributedString> cellLines = new ArrayList<>();
                AttributedString cell = c < r.size() ? r.get(c) : AttributedString.EMPTY;
                wrapTo(cell, w[c], cellLines);
                wrapped.add(cellLines);
                height = Math.max(height, cellLines.size());
            }
            for (int line = 0; line < height; line++) {
                AttributedStringBuilder sb = new AttributedStringBuilder().append(indent);
                for (int c = 0; c < cols; c++) {
                    List<AttributedString> cellLines = wrapped.get(c);
                    AttributedString part = line < cellLines.size() ? cellLines.get(line) : AttributedString.EMPTY;
                    sb.append(part).append(" ".repeat(Math.max(0, w[c] - part.columnLength())));
                    if (c < cols - 1) {
                        sb.append("  ");
                    }
                }
                out.add(trimEnd(sb.toAttributedString()));
            }
            if (i == headerRows - 1) {
                StringBuilder rule = new StringBuilder(indent);
                for (int c = 0; c < cols; c++) {
                    rule.append("─".repeat(w[c])).append(c < cols - 1 ? "  " : "");
                }
                out.add(new AttributedString(rule.toString(), DIM));
            }
        }
    }

    /** Wraps one table cell to exactly {@code cellWidth} columns. */
    private void wrapTo(AttributedString text, int cellWidth, List<AttributedString> out) {
        wrapWithin(text, "", "", cellWidth, out);
    }

    private static AttributedString trimEnd(AttributedString s) {
        String str = s.toString();
        int end = str.length();
        while (end > 0 && str.charAt(end - 1) == ' ') {
            end--;
        }
        return s.subSequence(0, end);
    }
}
