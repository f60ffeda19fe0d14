package dev.ssilab.cluster.sim.shell;

import java.util.List;

/**
 * The parsed form of a node shell line: lists of and-or chains of pipelines of commands, each simple
 * or compound (a loop, an if, a group, a subshell) with a list of its own inside.
 */
final class ShellSyntax {
    private ShellSyntax() {}

    /**
     * A list (a whole line, or a compound command's body): items run in order, each in the foreground
     * or (with {@code &}) in the background.
     */
    record Script(List<Item> items) {}

    record Item(AndOr chain, boolean background) {}

    /** Pipelines joined by {@code &&} / {@code ||}; {@code ops.get(i)} joins pipeline i and i+1. */
    record AndOr(List<Pipeline> pipelines, List<String> ops) {}

    /** Commands joined by |; {@code negated} when it starts with ! (its status is inverted). */
    record Pipeline(List<Cmd> commands, boolean negated) {}

    /** A stage of a pipeline. */
    sealed interface Cmd permits Simple, Compound {
        List<Redirect> redirects();
    }

    record Simple(List<Word> words, List<Redirect> redirects) implements Cmd {}

    /** A compound command with the redirections after its closing word; text is its source as typed (for jobs). */
    record Compound(Body body, List<Redirect> redirects, String text) implements Cmd {}

    sealed interface Body permits For, Loop, If, Group, Subshell {}

    /** {@code for name in words; do body; done}; words is null for {@code for name; do}, which walks "$@". */
    record For(String name, List<Word> words, Script body) implements Body {}

    /** {@code while} (or, when {@code until}, {@code until}) condition; do body; done. */
    record Loop(boolean until, Script condition, Script body) implements Body {}

    /** if/elif branches in order, then the else part (null without one). */
    record If(List<Branch> branches, Script otherwise) implements Body {}

    record Branch(Script condition, Script body) {}

    /** {@code { list; }}: runs in the shell itself. */
    record Group(Script body) implements Body {}

    /** {@code ( list )}: runs in a copy of the shell, so its variables and directory stay inside. */
    record Subshell(Script body) implements Body {}

    /** {@code op} is one of {@code > >> < 2> 2>> 2>&1}; target is null for 2>&1. */
    record Redirect(String op, Word target) {}

    /** One shell word, made of literal and expanded parts; text is the source as typed (for ps). */
    record Word(List<Part> parts, String text) {}

    sealed interface Part permits Lit, Var, Subst, Arith {}

    record Lit(String text, boolean quoted) implements Part {}

    record Var(String name, boolean quoted) implements Part {}

    record Subst(String source, boolean quoted) implements Part {}

    /** {@code $(( expression ))}: its parts are expanded as in double quotes, then evaluated. */
    record Arith(List<Part> parts, boolean quoted) implements Part {}
}
