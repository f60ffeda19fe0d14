package dev.ssilab.cluster.sim.shell;

import dev.ssilab.cluster.sim.model.SharedFs.FsError;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Arith;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Lit;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Part;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Subst;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Var;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a command's words into fields as bash does: ~, variables, $(...) (run in a subshell of the
 * node shell), $((...)) ({@link Arithmetic}), splitting of unquoted expansions at blanks, and globs in a
 * path's last component.
 */
final class WordExpander {
    private final NodeShell shell;

    WordExpander(NodeShell shell) {
        this.shell = shell;
    }

    /** One field being built: its text, and which characters were quoted (they never glob). */
    private static final class Field {
        final StringBuilder text = new StringBuilder();
        final StringBuilder quoted = new StringBuilder();

        void add(String s, boolean q) {
            text.append(s);
            quoted.append(String.valueOf(q ? 'q' : 'u').repeat(s.length()));
        }
    }

    /**
     * The fields of a simple command's words. Its leading assignments are one field each, never split
     * or globbed, as in sh: pids=$(pgrep x) keeps every pid, where splitting would run the second one.
     */
    List<String> expandCommand(List<Word> words) throws InterruptedException {
        List<String> fields = new ArrayList<>();
        int k = 0;
        for (; k < words.size() && isAssignment(words.get(k)); k++) {
            StringBuilder value = new StringBuilder();
            for (Part part : words.get(k).parts()) {
                value.append(value(part));
            }
            fields.add(value.toString());
        }
        fields.addAll(expand(words.subList(k, words.size())));
        return fields;
    }

    private static boolean isAssignment(Word w) {
        return !w.parts().isEmpty() && w.parts().get(0) instanceof Lit l && !l.quoted()
                && l.text().matches("[A-Za-z_][A-Za-z0-9_]*=.*");
    }

    /** The fields the words expand to, in order. */
    List<String> expand(List<Word> words) throws InterruptedException {
        List<String> fields = new ArrayList<>();
        for (Word w : words) {
            Field cur = null;
            boolean first = true;
            for (Part part : w.parts()) {
                if (part instanceof Lit l) {
                    String text = l.text();
                    if (first && !l.quoted() && (text.equals("~") || text.startsWith("~/"))) {
                        text = "/root" + text.substring(1);
                    }
                    cur = cur == null ? new Field() : cur;
                    cur.add(text, l.quoted());
                } else {
                    boolean quoted = quoted(part);
                    String value = value(part);
                    if (quoted) {
                        cur = cur == null ? new Field() : cur;
                        cur.add(value, true);
                    } else {
                        String[] pieces = value.trim().isEmpty() ? new String[0] : value.trim().split("\\s+");
                        boolean leadingBlank = !value.isEmpty() && Character.isWhitespace(value.charAt(0));
                        for (int i = 0; i < pieces.length; i++) {
                            if (cur != null && (i > 0 || leadingBlank)) {
                                glob(cur, fields);
                                cur = null;
                            }
                            cur = cur == null ? new Field() : cur;
                            cur.add(pieces[i], false);
                        }
                    }
                }
                first = false;
            }
            if (cur != null) {
                glob(cur, fields);
            }
        }
        return fields;
    }

    private static boolean quoted(Part part) {
        if (part instanceof Var v) {
            return v.quoted();
        }
        return part instanceof Subst s ? s.quoted() : ((Arith) part).quoted();
    }

    /** What an expansion stands for, before splitting. */
    private String value(Part part) throws InterruptedException {
        if (part instanceof Lit l) {
            return l.text();
        }
        if (part instanceof Var v) {
            return shell.variable(v.name());
        }
        if (part instanceof Subst s) {
            return shell.substitute(s.source());
        }
        StringBuilder expression = new StringBuilder();
        for (Part inner : ((Arith) part).parts()) {
            expression.append(value(inner));
        }
        return String.valueOf(Arithmetic.evaluate(expression.toString(), shell::variable));
    }

    /**
     * Adds a field, expanding an unquoted * or ? in its last path component against the shared root
     * (sorted, dot files excluded); a pattern that matches nothing stays as typed, as in bash.
     */
    private void glob(Field f, List<String> fields) {
        String text = f.text.toString();
        int slash = text.lastIndexOf('/');
        boolean magic = false;
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            boolean unquoted = f.quoted.charAt(i) == 'u';
            if (unquoted && (ch == '*' || ch == '?')) {
                if (i < slash) {
                    fields.add(text); // globs in folder names are not modelled: keep the word as typed
                    return;
                }
                magic = true;
            }
            if (i > slash) {
                regex.append(unquoted && ch == '*' ? "[^/]*" : unquoted && ch == '?' ? "[^/]" : Pattern.quote(String.valueOf(ch)));
            }
        }
        if (!magic) {
            fields.add(text);
            return;
        }
        String dir = slash < 0 ? "" : text.substring(0, slash + 1);
        List<String> matches = new ArrayList<>();
        try {
            String abs = shell.path(dir.isEmpty() ? "." : dir);
            if (shell.namespace().isDirectory(abs)) {
                for (String name : shell.namespace().list(abs)) {
                    if (!name.startsWith(".") && name.matches(regex.toString())) {
                        matches.add(dir + name);
                    }
                }
            }
        } catch (FsError e) {
            // an unreadable folder matches nothing
        }
        if (matches.isEmpty()) {
            fields.add(text);
        } else {
            matches.sort(null);
            fields.addAll(matches);
        }
    }
}
