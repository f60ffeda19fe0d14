package dev.ssilab.cluster.sim.shell;

import java.util.List;

/** The parsed form of a node shell line: lists of and-or chains of pipelines of simple commands. */
final class ShellSyntax {
    private ShellSyntax() {}

    /** A whole line: items run in order, each in the foreground or (with {@code &}) in the background. */
    record Script(List<Item> items) {}

    record Item(AndOr chain, boolean background) {}

    /** Pipelines joined by {@code &&} / {@code ||}; {@code ops.get(i)} joins pipeline i and i+1. */
    record AndOr(List<Pipeline> pipelines, List<String> ops) {}

    /** Commands joined by |; {@code negated} when it starts with ! (its status is inverted). */
    record Pipeline(List<Simple> commands, boolean negated) {}

    record Simple(List<Word> words, List<Redirect> redirects) {}

    /** {@code op} is one of {@code > >> < 2> 2>> 2>&1}; target is null for 2>&1. */
    record Redirect(String op, Word target) {}

    /** One shell word, made of literal and expanded parts; text is the source as typed (for ps). */
    record Word(List<Part> parts, String text) {}

    sealed interface Part permits Lit, Var, Subst {}

    record Lit(String text, boolean quoted) implements Part {}

    record Var(String name, boolean quoted) implements Part {}

    record Subst(String source, boolean quoted) implements Part {}
}
