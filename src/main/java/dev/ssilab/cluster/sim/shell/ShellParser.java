package dev.ssilab.cluster.sim.shell;

import dev.ssilab.cluster.sim.shell.ShellLexer.Op;
import dev.ssilab.cluster.sim.shell.ShellLexer.Token;
import dev.ssilab.cluster.sim.shell.ShellLexer.WordToken;
import dev.ssilab.cluster.sim.shell.ShellSyntax.AndOr;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Body;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Branch;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Cmd;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Compound;
import dev.ssilab.cluster.sim.shell.ShellSyntax.For;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Group;
import dev.ssilab.cluster.sim.shell.ShellSyntax.If;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Item;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Lit;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Loop;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Part;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Pipeline;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Redirect;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Script;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Simple;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Subshell;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the shell language the node shell understands, from {@link ShellLexer}'s tokens: lists
 * ({@code ; & newline}), {@code && ||}, pipelines with {@code !}, redirections, simple commands, and the
 * compound commands for/while/until/if, {@code { }} and {@code ( )}. Functions, case, here-documents and
 * bash's {@code [[ ]]} and {@code (( ))} are refused with {@link Unmodelled}.
 */
final class ShellParser {

    /** A line the parser cannot read; the message is bash-like (or, for compound commands, ash-like). */
    static final class SyntaxError extends Exception {
        /** The text ended before its command did (an open quote, a loop without done): a console asks for more. */
        final boolean incomplete;

        SyntaxError(String message) {
            this(message, false);
        }

        SyntaxError(String message, boolean incomplete) {
            super(message);
            this.incomplete = incomplete;
        }
    }

    /** A line using a construct the simulator does not model; the message names the construct. */
    static final class Unmodelled extends Exception {
        Unmodelled(String what) {
            super(what);
        }
    }

    private ShellParser() {}

    static Script parse(String line) throws SyntaxError, Unmodelled {
        List<Token> tokens = ShellLexer.tokens(line);
        return new Builder(line, tokens).script();
    }

    /** Whether the text is a command cut short, which a console completes with the next lines it reads. */
    static boolean incomplete(String text) {
        try {
            parse(text);
            return false;
        } catch (SyntaxError e) {
            return e.incomplete;
        } catch (Unmodelled e) {
            return false;
        }
    }

    /** Words that end the list before them, when they stand where a command would start. */
    private static final Set<String> CLOSERS = Set.of("then", "else", "elif", "fi", "do", "done", "}", "esac");
    /** Words that start a construct the simulator does not model, in command position. */
    private static final Set<String> UNMODELLED = Set.of("case", "function", "select", "[[", "]]");

    /** Turns tokens into the syntax tree (POSIX's grammar; a reserved word counts only where a command starts). */
    private static final class Builder {
        private final String src;
        private final List<Token> tokens;
        private int i;

        Builder(String src, List<Token> tokens) {
            this.src = src;
            this.tokens = tokens;
        }

        Script script() throws SyntaxError, Unmodelled {
            Script s = list(null, false);
            if (i < tokens.size()) {
                throw unexpected(null);
            }
            return s;
        }

        /**
         * A list, up to a closing word in command position (or a ")" inside parentheses, or the end).
         * {@code expecting} is what must close it (null for a whole line); an empty list there is an error, as in sh.
         */
        private Script list(String expecting, boolean inParens) throws SyntaxError, Unmodelled {
            List<Item> items = new ArrayList<>();
            while (true) {
                while (isOp(";") || isOp("\n")) { // empty statements, e.g. a trailing ; or a blank line
                    i++;
                }
                if (i >= tokens.size() || closesList(inParens)) {
                    break;
                }
                AndOr chain = andOr();
                boolean background = false;
                if (isOp("&")) {
                    background = true;
                    i++;
                } else if (isOp(";") || isOp("\n")) {
                    i++;
                } else if (i < tokens.size() && !closesList(inParens)) {
                    throw unexpected(null);
                }
                items.add(new Item(chain, background));
            }
            if (expecting != null && i >= tokens.size()) {
                throw unexpected(expecting);
            }
            if (expecting != null && items.isEmpty()) {
                throw unexpected(null); // sh wants at least one command, e.g. in do ... done
            }
            return new Script(items);
        }

        private boolean closesList(boolean inParens) {
            return isKeyword(CLOSERS) != null || (inParens && isOp(")"));
        }

        private AndOr andOr() throws SyntaxError, Unmodelled {
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

        private Pipeline pipeline() throws SyntaxError, Unmodelled {
            boolean negated = false;
            if (i < tokens.size() && tokens.get(i) instanceof WordToken w && w.word().text().equals("!")) {
                negated = true;
                i++;
            }
            List<Cmd> cmds = new ArrayList<>();
            cmds.add(command());
            while (isOp("|")) {
                i++;
                skipNewlines();
                cmds.add(command());
            }
            return new Pipeline(cmds, negated);
        }

        private Cmd command() throws SyntaxError, Unmodelled {
            int start = i < tokens.size() ? tokens.get(i).start() : src.length();
            String unmodelled = isKeyword(UNMODELLED);
            if (unmodelled != null) {
                throw new Unmodelled(unmodelled);
            }
            if (isOp("((")) {
                throw new Unmodelled("(( )) (use $(( )))");
            }
            if (isKeyword(CLOSERS) != null) {
                throw unexpected(null);
            }
            Body body = compoundBody();
            if (body == null) {
                if (i + 1 < tokens.size() && tokens.get(i) instanceof WordToken && tokens.get(i + 1) instanceof Op o
                        && o.op().equals("(")) {
                    throw new Unmodelled("a shell function");
                }
                return simple();
            }
            int end = tokens.get(i - 1).end();
            List<Redirect> redirects = new ArrayList<>();
            Redirect r;
            while ((r = redirect()) != null) {
                redirects.add(r);
            }
            return new Compound(body, redirects, src.substring(start, end));
        }

        /** The compound command starting here, or null when a simple command starts here. */
        private Body compoundBody() throws SyntaxError, Unmodelled {
            if (isOp("(")) {
                i++;
                Script body = list(")", true);
                expectOp(")");
                return new Subshell(body);
            }
            String kw = isKeyword(Set.of("for", "while", "until", "if", "{"));
            if (kw == null) {
                return null;
            }
            i++;
            switch (kw) {
                case "for":
                    return forLoop();
                case "while":
                case "until": {
                    Script condition = list("do", false);
                    expectWord("do");
                    Script body = list("done", false);
                    expectWord("done");
                    return new Loop(kw.equals("until"), condition, body);
                }
                case "if":
                    return ifCommand();
                default: {
                    Script body = list("}", false);
                    expectWord("}");
                    return new Group(body);
                }
            }
        }

        private Body forLoop() throws SyntaxError, Unmodelled {
            if (i >= tokens.size() || !(tokens.get(i) instanceof WordToken nameToken)) {
                throw unexpected(null);
            }
            String name = nameToken.word().text();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new SyntaxError("syntax error: bad for loop variable");
            }
            i++;
            skipNewlines();
            List<Word> words = null;
            if (isKeyword(Set.of("in")) != null) {
                i++;
                words = new ArrayList<>();
                while (i < tokens.size() && tokens.get(i) instanceof WordToken w) {
                    words.add(w.word());
                    i++;
                }
                if (!isOp(";") && !isOp("\n")) {
                    throw unexpected("do");
                }
                i++;
            } else if (isOp(";")) {
                i++;
            }
            skipNewlines();
            expectWord("do");
            Script body = list("done", false);
            expectWord("done");
            return new For(name, words, body);
        }

        private Body ifCommand() throws SyntaxError, Unmodelled {
            List<Branch> branches = new ArrayList<>();
            Script otherwise = null;
            while (true) {
                Script condition = list("then", false);
                expectWord("then");
                Script body = list("fi", false);
                branches.add(new Branch(condition, body));
                if (isKeyword(Set.of("elif")) != null) {
                    i++;
                    continue;
                }
                if (isKeyword(Set.of("else")) != null) {
                    i++;
                    otherwise = list("fi", false);
                }
                expectWord("fi");
                return new If(branches, otherwise);
            }
        }

        private Simple simple() throws SyntaxError, Unmodelled {
            List<Word> words = new ArrayList<>();
            List<Redirect> redirects = new ArrayList<>();
            while (i < tokens.size()) {
                if (tokens.get(i) instanceof WordToken w) {
                    words.add(w.word());
                    i++;
                    continue;
                }
                Redirect r = redirect();
                if (r == null) {
                    break;
                }
                redirects.add(r);
            }
            if (words.isEmpty() && redirects.isEmpty()) {
                String next = i >= tokens.size() || isOp("\n") ? "newline" : ((Op) tokens.get(i)).op();
                throw new SyntaxError("syntax error near unexpected token `" + next + "'", i >= tokens.size());
            }
            return new Simple(words, redirects);
        }

        /** The redirection starting here (taken), or null when there is none. */
        private Redirect redirect() throws SyntaxError, Unmodelled {
            if (i >= tokens.size() || !(tokens.get(i) instanceof Op o)) {
                return null;
            }
            String op = o.op();
            if (op.equals("<<<")) {
                throw new Unmodelled("a here-string (<<<)");
            }
            if (op.startsWith("<<")) {
                throw new Unmodelled("a here-document (<<)");
            }
            if (op.equals("2>&1")) {
                i++;
                return new Redirect(op, null);
            }
            if (!op.equals(">") && !op.equals(">>") && !op.equals("<") && !op.equals("2>") && !op.equals("2>>")) {
                return null;
            }
            i++;
            if (i >= tokens.size() || !(tokens.get(i) instanceof WordToken target)) {
                throw new SyntaxError("syntax error near unexpected token `"
                        + (i >= tokens.size() || isOp("\n") ? "newline" : ((Op) tokens.get(i)).op()) + "'");
            }
            i++;
            return new Redirect(op, target.word());
        }

        private void expectWord(String word) throws SyntaxError {
            if (isKeyword(Set.of(word)) == null) {
                throw unexpected(word);
            }
            i++;
        }

        private void expectOp(String op) throws SyntaxError {
            if (!isOp(op)) {
                throw unexpected(op);
            }
            i++;
        }

        /** ash's words for a token that cannot come here, and for what should have come. */
        private SyntaxError unexpected(String expecting) {
            String what;
            if (i >= tokens.size()) {
                what = "end of input";
            } else if (tokens.get(i) instanceof Op o) {
                what = o.op().equals("\n") ? "newline" : "\"" + o.op() + "\"";
            } else {
                what = "\"" + ((WordToken) tokens.get(i)).word().text() + "\"";
            }
            String wanted = expecting == null ? "" : " (expecting \"" + expecting + "\")";
            return new SyntaxError("syntax error: unexpected " + what + wanted, i >= tokens.size());
        }

        /** The reserved word here, if it is one of these, unquoted, where a command starts; else null. */
        private String isKeyword(Set<String> words) {
            if (i >= tokens.size() || !(tokens.get(i) instanceof WordToken w)) {
                return null;
            }
            List<Part> parts = w.word().parts();
            if (parts.size() != 1 || !(parts.get(0) instanceof Lit l) || l.quoted() || !words.contains(l.text())) {
                return null;
            }
            return l.text();
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
