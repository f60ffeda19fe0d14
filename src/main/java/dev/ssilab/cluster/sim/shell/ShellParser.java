package dev.ssilab.cluster.sim.shell;

import dev.ssilab.cluster.sim.shell.ShellSyntax.AndOr;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Item;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Lit;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Part;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Pipeline;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Redirect;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Script;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Simple;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Subst;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Var;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the small shell language the node shell understands: {@code ; && || & |}, redirections
 * {@code > >> < 2> 2>> 2>&1}, quotes, backslash escapes, {@code $NAME $? $$ $!} and {@code $(...)}.
 * Anything else (globs, functions, if/for/while) is left as literal words, which the shell then refuses.
 */
final class ShellParser {

    /** A line the parser cannot read; the message is bash-like. */
    static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    private sealed interface Token permits WordToken, Op {}

    private record WordToken(Word word) implements Token {}

    private record Op(String op) implements Token {}

    private final String src;
    private int pos;

    private ShellParser(String src) {
        this.src = src;
    }

    static Script parse(String line) throws SyntaxError {
        List<Token> tokens = new ShellParser(line).tokens();
        return new Builder(tokens).script();
    }

    private static final Set<String> RESERVED = Set.of("if", "then", "else", "elif", "fi", "for", "while", "until",
            "do", "done", "case", "esac", "function", "select", "{", "}", "[[", "]]");

    /** The first shell construct of the line the simulator does not model (loops, tests, subshells), or null. */
    static String unmodelled(Script script) {
        for (Item item : script.items()) {
            for (Pipeline p : item.chain().pipelines()) {
                for (Simple cmd : p.commands()) {
                    if (cmd.words().isEmpty()) {
                        continue;
                    }
                    Word w = cmd.words().get(0);
                    if (w.parts().isEmpty() || !(w.parts().get(0) instanceof Lit l) || l.quoted()) {
                        continue;
                    }
                    if (RESERVED.contains(w.text())) {
                        return w.text();
                    }
                    if (l.text().startsWith("(")) {
                        return "( ... ) subshell grouping";
                    }
                    if (l.text().startsWith("((") || w.text().startsWith("$((")) {
                        return "arithmetic";
                    }
                }
                for (Simple cmd : p.commands()) {
                    for (Word w : cmd.words()) {
                        for (Part part : w.parts()) {
                            if (part instanceof Subst sub && sub.source().startsWith("(")) {
                                return "$(( )) arithmetic";
                            }
                        }
                    }
                }
            }
        }
        return null;
    }

    private List<Token> tokens() throws SyntaxError {
        List<Token> out = new ArrayList<>();
        while (true) {
            while (pos < src.length() && (src.charAt(pos) == ' ' || src.charAt(pos) == '\t')) {
                pos++;
            }
            if (pos >= src.length()) {
                return out;
            }
            char c = src.charAt(pos);
            if (c == '#') { // a comment runs to the end of its line, not of the script
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
                continue;
            }
            if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
                pos += 2; // a line continuation between words
                continue;
            }
            if (c == '\r') {
                pos++;
                continue;
            }
            String op = operatorAt();
            if (op != null) {
                pos += op.length();
                out.add(new Op(op));
                continue;
            }
            out.add(new WordToken(word()));
        }
    }

    private String operatorAt() {
        for (String op : new String[] {"2>&1", "2>>", "&&", "||", ">>", "2>", ";", "&", "|", ">", "<", "\n"}) {
            if (src.startsWith(op, pos)) {
                // "2>" is an operator only at the start of a word (echo a2>x writes "a2" to x)
                if (op.startsWith("2") && pos > 0 && !startsWord(src.charAt(pos - 1))) {
                    continue;
                }
                return op;
            }
        }
        return null;
    }

    /** Whether a character just before this position ends the previous word (a blank or an operator). */
    private static boolean startsWord(char prev) {
        return isBlank(prev) || prev == '\n' || ";&|<>".indexOf(prev) >= 0;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private Word word() throws SyntaxError {
        int start = pos;
        List<Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (isBlank(c) || c == '\n' || c == '\r' || ";&|<>".indexOf(c) >= 0) {
                break;
            }
            if (c == '\\') {
                pos++;
                if (pos < src.length() && src.charAt(pos) == '\n') {
                    pos++; // a line continuation inside a word
                } else if (pos < src.length()) {
                    flush(parts, lit, false);
                    parts.add(new Lit(String.valueOf(src.charAt(pos)), true));
                    pos++;
                }
            } else if (c == '\'') {
                flush(parts, lit, false);
                int end = src.indexOf('\'', pos + 1);
                if (end < 0) {
                    throw new SyntaxError("unexpected EOF while looking for matching `''");
                }
                parts.add(new Lit(src.substring(pos + 1, end), true));
                pos = end + 1;
            } else if (c == '"') {
                flush(parts, lit, false);
                pos++;
                doubleQuoted(parts);
            } else if (c == '$') {
                flush(parts, lit, false);
                dollar(parts, false);
            } else {
                lit.append(c);
                pos++;
            }
        }
        flush(parts, lit, false);
        return new Word(parts, src.substring(start, pos));
    }

    private void doubleQuoted(List<Part> parts) throws SyntaxError {
        StringBuilder lit = new StringBuilder();
        boolean any = false;
        while (true) {
            if (pos >= src.length()) {
                throw new SyntaxError("unexpected EOF while looking for matching `\"'");
            }
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\\' && pos + 1 < src.length() && "$`\"\\".indexOf(src.charAt(pos + 1)) >= 0) {
                lit.append(src.charAt(pos + 1));
                pos += 2;
            } else if (c == '$') {
                any |= flush(parts, lit, true);
                int before = parts.size();
                dollar(parts, true);
                any |= parts.size() > before;
            } else {
                lit.append(c);
                pos++;
            }
        }
        if (!flush(parts, lit, true) && !any) {
            parts.add(new Lit("", true)); // "" is an empty word, not no word
        }
    }

    private void dollar(List<Part> parts, boolean quoted) throws SyntaxError {
        pos++; // the $
        if (pos >= src.length()) {
            parts.add(new Lit("$", quoted));
            return;
        }
        char c = src.charAt(pos);
        if (c == '?' || c == '$' || c == '!' || c == '#' || Character.isDigit(c)) {
            parts.add(new Var(String.valueOf(c), quoted));
            pos++;
        } else if (c == '{') {
            int end = src.indexOf('}', pos);
            if (end < 0) {
                throw new SyntaxError("bad substitution");
            }
            parts.add(new Var(src.substring(pos + 1, end), quoted));
            pos = end + 1;
        } else if (c == '(') {
            int depth = 0;
            int start = pos + 1;
            for (int i = pos; i < src.length(); i++) {
                char d = src.charAt(i);
                if (d == '(') {
                    depth++;
                } else if (d == ')' && --depth == 0) {
                    parts.add(new Subst(src.substring(start, i), quoted));
                    pos = i + 1;
                    return;
                }
            }
            throw new SyntaxError("unexpected EOF while looking for matching `)'");
        } else if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            parts.add(new Var(src.substring(start, pos), quoted));
        } else {
            parts.add(new Lit("$", quoted));
        }
    }

    private static boolean flush(List<Part> parts, StringBuilder lit, boolean quoted) {
        if (lit.length() == 0) {
            return false;
        }
        parts.add(new Lit(lit.toString(), quoted));
        lit.setLength(0);
        return true;
    }

    /** Turns tokens into the syntax tree. */
    private static final class Builder {
        private final List<Token> tokens;
        private int i;

        Builder(List<Token> tokens) {
            this.tokens = tokens;
        }

        Script script() throws SyntaxError {
            List<Item> items = new ArrayList<>();
            while (i < tokens.size()) {
                if (isOp(";") || isOp("\n")) { // empty statements, e.g. a trailing ; or a blank line
                    i++;
                    continue;
                }
                AndOr chain = andOr();
                boolean background = false;
                if (i < tokens.size()) {
                    String op = ((Op) tokens.get(i)).op();
                    if (op.equals("&")) {
                        background = true;
                    } else if (!op.equals(";") && !op.equals("\n")) {
                        throw new SyntaxError("syntax error near unexpected token `" + op + "'");
                    }
                    i++;
                }
                items.add(new Item(chain, background));
            }
            return new Script(items);
        }

        private AndOr andOr() throws SyntaxError {
            List<Pipeline> pipes = new ArrayList<>();
            List<String> ops = new ArrayList<>();
            pipes.add(pipeline());
            while (isOp("&&") || isOp("||")) {
                ops.add(((Op) tokens.get(i++)).op());
                skipNewlines();
                pipes.add(pipeline());
            }
            return new AndOr(pipes, ops);
        }

        private Pipeline pipeline() throws SyntaxError {
            boolean negated = false;
            if (i < tokens.size() && tokens.get(i) instanceof WordToken w && w.word().text().equals("!")) {
                negated = true;
                i++;
            }
            List<Simple> cmds = new ArrayList<>();
            cmds.add(simple());
            while (isOp("|")) {
                i++;
                skipNewlines();
                cmds.add(simple());
            }
            return new Pipeline(cmds, negated);
        }

        private Simple simple() throws SyntaxError {
            List<Word> words = new ArrayList<>();
            List<Redirect> redirects = new ArrayList<>();
            while (i < tokens.size()) {
                Token t = tokens.get(i);
                if (t instanceof WordToken w) {
                    words.add(w.word());
                    i++;
                } else {
                    String op = ((Op) t).op();
                    if (op.equals("2>&1")) {
                        redirects.add(new Redirect(op, null));
                        i++;
                    } else if (op.equals(">") || op.equals(">>") || op.equals("<") || op.equals("2>") || op.equals("2>>")) {
                        i++;
                        if (i >= tokens.size() || !(tokens.get(i) instanceof WordToken target)) {
                            throw new SyntaxError("syntax error near unexpected token `"
                                    + (i >= tokens.size() ? "newline" : ((Op) tokens.get(i)).op()) + "'");
                        }
                        redirects.add(new Redirect(op, target.word()));
                        i++;
                    } else {
                        break;
                    }
                }
            }
            if (words.isEmpty() && redirects.isEmpty()) {
                String next = i >= tokens.size() || isOp("\n") ? "newline" : ((Op) tokens.get(i)).op();
                throw new SyntaxError("syntax error near unexpected token `" + next + "'");
            }
            return new Simple(words, redirects);
        }

        private void skipNewlines() {
            while (isOp("\n")) {
                i++;
            }
        }

        private boolean isOp(String op) {
            return i < tokens.size() && tokens.get(i) instanceof Op o && o.op().equals(op);
        }
    }
}
