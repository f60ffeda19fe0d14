package dev.ssilab.cluster.sim.shell;

import dev.ssilab.cluster.sim.shell.ShellParser.SyntaxError;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Arith;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Lit;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Part;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Subst;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Var;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a shell line into tokens for {@link ShellParser}: operators ({@code ; & | && || ( ) > >> < 2> 2>> 2>&1},
 * newlines) and words, each word already split into its literal, quoted and expanded parts
 * ({@code $NAME ${NAME} $? $(...) $((...))}). Comments, blanks and line continuations go.
 */
final class ShellLexer {

    sealed interface Token permits WordToken, Op {
        int start();

        int end();
    }

    record WordToken(Word word, int start, int end) implements Token {}

    record Op(String op, int start, int end) implements Token {}

    private final String src;
    private int pos;

    private ShellLexer(String src) {
        this.src = src;
    }

    static List<Token> tokens(String line) throws SyntaxError {
        return new ShellLexer(line).tokens();
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
            int start = pos;
            if (op != null) {
                pos += op.length();
                out.add(new Op(op, start, pos));
                continue;
            }
            Word w = word();
            out.add(new WordToken(w, start, pos));
        }
    }

    private static final String[] OPERATORS = {"2>&1", "2>>", "<<<", "<<-", "&&", "||", ">>", "<<", "2>", "((", ";",
        "&", "|", ">", "<", "(", ")", "\n"};

    private String operatorAt() {
        for (String op : OPERATORS) {
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
        return isBlank(prev) || prev == '\n' || ";&|<>()".indexOf(prev) >= 0;
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
            if (isBlank(c) || c == '\n' || c == '\r' || ";&|<>()".indexOf(c) >= 0) {
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
                    throw new SyntaxError("unexpected EOF while looking for matching `''", true);
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
                throw new SyntaxError("unexpected EOF while looking for matching `\"'", true);
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

    /** The parts of an arithmetic expression: expanded as in double quotes, but with no quote to end them. */
    private List<Part> arithmeticParts() throws SyntaxError {
        List<Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '$') {
                flush(parts, lit, true);
                dollar(parts, true);
            } else {
                lit.append(c);
                pos++;
            }
        }
        flush(parts, lit, true);
        return parts;
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
            int end = closing(pos);
            // $((x)) is arithmetic when its inner ( closes just before the outer one; $( (x) ) is a subshell
            if (src.startsWith("((", pos) && closing(pos + 1) == end - 1) {
                ShellLexer inner = new ShellLexer(src.substring(pos + 2, end - 1));
                parts.add(new Arith(inner.arithmeticParts(), quoted));
            } else {
                parts.add(new Subst(src.substring(pos + 1, end), quoted));
            }
            pos = end + 1;
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

    /** The index of the ) that closes the ( at open. */
    private int closing(int open) throws SyntaxError {
        int depth = 0;
        for (int i = open; i < src.length(); i++) {
            char d = src.charAt(i);
            if (d == '(') {
                depth++;
            } else if (d == ')' && --depth == 0) {
                return i;
            }
        }
        throw new SyntaxError("unexpected EOF while looking for matching `)'", true);
    }

    private static boolean flush(List<Part> parts, StringBuilder lit, boolean quoted) {
        if (lit.length() == 0) {
            return false;
        }
        parts.add(new Lit(lit.toString(), quoted));
        lit.setLength(0);
        return true;
    }
}
