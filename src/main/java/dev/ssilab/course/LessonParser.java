package dev.ssilab.course;

import dev.ssilab.cluster.BackendName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Turns one lesson file into a {@link Lesson}: front matter, FreeMarker pass, commonmark parse, then
 * steps, blocks and hints; every problem found is added with its line rather than thrown, so lint can
 * report all of them at once.
 */
final class LessonParser {
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern TIMEOUT = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final String STEP_PREFIX = "Step:";
    static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    private final TemplateEngine templates;
    private final Parser markdown = Parser.builder()
            .extensions(List.of(TablesExtension.create()))
            .includeSourceSpans(IncludeSourceSpans.BLOCKS)
            .build();

    LessonParser(TemplateEngine templates) {
        this.templates = templates;
    }

    /** Parses a lesson; returns null when its problems leave nothing usable. */
    Lesson parse(Path file, String text, Map<String, ?> vars, List<Problem> problems) {
        List<String> rawLines = text.lines().toList();
        FrontMatter fm = FrontMatter.parse(file, rawLines, problems);
        String id = fm.string("id");
        String title = fm.string("title");
        if (fm.lineCount > 0) {
            if (id == null) {
                problems.add(new Problem(file, 1, "front matter has no 'id:' (a lowercase name such as booting-the-cluster)"));
            } else if (!ID.matcher(id).matches()) {
                problems.add(new Problem(file, fm.get("id").line(), "id '" + id + "' must be lowercase letters, digits and dashes"));
            }
            if (title == null || title.isBlank()) {
                problems.add(new Problem(file, 1, "front matter has no 'title:'"));
            }
            for (String b : fm.list("backends")) {
                if (BackendName.find(b).isEmpty()) {
                    problems.add(new Problem(file, fm.get("backends").line(), "unknown backend '" + b + "' (use " + BackendName.choices("", ", ") + ")"));
                }
            }
            String dl = fm.string("downloads");
            if (fm.get("downloads") != null && !"true".equals(dl) && !"false".equals(dl)) {
                problems.add(new Problem(file, fm.get("downloads").line(), "downloads must be true or false, not '"
                        + (dl == null ? String.join(", ", fm.list("downloads")) : dl) + "'"));
            }
        }
        boolean downloads = "true".equals(fm.string("downloads"));
        // Blank lines stand in for the front matter so every later line keeps its number in the file.
        StringBuilder body = new StringBuilder("\n".repeat(fm.lineCount));
        for (int i = fm.lineCount; i < rawLines.size(); i++) {
            body.append(rawLines.get(i)).append('\n');
        }
        String rendered;
        try {
            rendered = templates.render(file.getFileName().toString(), body.toString(), vars);
        } catch (TemplateEngine.TemplateFailure e) {
            problems.add(new Problem(file, Math.max(1, e.line()), e.getMessage()));
            return null;
        }
        List<String> lines = rendered.lines().toList();
        Node doc = markdown.parse(rendered);
        UnclosedFences.report(file, doc, problems);

        StringBuilder intro = new StringBuilder();
        List<StepDraft> steps = new ArrayList<>();
        StepDraft current = null;
        for (Node node = doc.getFirstChild(); node != null; node = node.getNext()) {
            int line = firstLine(node);
            if (node instanceof Heading h && h.getLevel() == 2 && text(h).startsWith(STEP_PREFIX)) {
                String stepTitle = text(h).substring(STEP_PREFIX.length()).strip();
                if (stepTitle.isEmpty()) {
                    problems.add(new Problem(file, line, "step heading has no title: write '## Step: what the learner does'"));
                }
                current = new StepDraft(stepTitle, line);
                steps.add(current);
                continue;
            }
            StringBuilder prose = current == null ? intro : current.prose;
            if (node instanceof FencedCodeBlock fence) {
                Block block = parseBlock(file, fence, line, problems);
                if (block == null) {
                    prose.append(source(lines, node)).append("\n\n");
                    if (current != null) {
                        current.narration.append(source(lines, node)).append("\n\n");
                    }
                    continue;
                }
                if (current == null) {
                    problems.add(new Problem(file, line, "'" + block.role().word()
                            + "' block is outside a step: put it under a '## Step: ...' heading"));
                    continue;
                }
                current.blocks.add(block);
                if (block.role() == Role.RUN || block.role() == Role.OUTPUT) {
                    prose.append(source(lines, node)).append("\n\n");
                }
                continue;
            }
            String[] only = backendsQuote(node, lines);
            if (only != null) {
                if (current == null) {
                    problems.add(new Problem(file, line, "a Backends quote is outside a step: put it under a '## Step: ...' heading"));
                    continue;
                }
                List<String> names = new ArrayList<>();
                for (String b : only[0].split("[,\\s]+")) {
                    if (b.isBlank()) {
                        continue;
                    }
                    if (BackendName.find(b).isEmpty()) {
                        problems.add(new Problem(file, line, "unknown backend '" + b + "' in the Backends quote (use " + BackendName.choices("", ", ") + ")"));
                    }
                    names.add(b);
                }
                if (names.isEmpty()) {
                    problems.add(new Problem(file, line, "the Backends quote names no backend: write '> **Backends:** sim', then what the other backend shows"));
                }
                if (only[1].isBlank()) {
                    problems.add(new Problem(file, line, "the Backends quote does not say what happens on the other backends: add a line after '**Backends:** "
                            + only[0].strip() + "'"));
                }
                current.backends = names;
                current.elsewhere = only[1];
                prose.append(source(lines, node)).append("\n\n");
                current.narration.append(source(lines, node)).append("\n\n");
                continue;
            }
            String hint = hint(node, lines);
            if (hint != null) {
                if (current == null) {
                    problems.add(new Problem(file, line, "hint is outside a step: put it under a '## Step: ...' heading"));
                } else {
                    current.hints.add(hint);
                }
                continue;
            }
            prose.append(source(lines, node)).append("\n\n");
            if (current != null) {
                current.narration.append(source(lines, node)).append("\n\n");
            }
        }
        List<Step> built = new ArrayList<>();
        for (StepDraft d : steps) {
            if (d.blocks.stream().noneMatch(b -> b.role() == Role.CHECK)) {
                problems.add(new Problem(file, d.line, "step '" + d.title + "' has no check block: add ```sh check with a command that exits 0 when the step is done"));
            }
            if (d.blocks.stream().noneMatch(b -> b.role() == Role.RUN || b.role() == Role.SOLVE || b.role() == Role.ANSWER)) {
                problems.add(new Problem(file, d.line, "step '" + d.title + "' has no run, solve or answer block: the course test and auto-play need one"));
            }
            List<Block> answers = d.blocks.stream().filter(b -> b.role() == Role.ANSWER).toList();
            if (answers.size() > 1) {
                problems.add(new Problem(file, answers.get(1).line(), "step '" + d.title + "' has a second answer block: a question has one accepted answer"));
            }
            for (Block a : answers) {
                if (a.code().strip().isEmpty() || a.code().strip().contains("\n")) {
                    problems.add(new Problem(file, a.line(), "an answer block holds one line, the answer as the learner types it after 'answer'"));
                }
                if (d.blocks.stream().anyMatch(b -> b.role() == Role.SOLVE)) {
                    problems.add(new Problem(file, a.line(), "step '" + d.title + "' has an answer block and also a solve block: a question step is solved by its answer"
                            + " (its run blocks may show what the answer is read from)"));
                }
            }
            built.add(new Step(d.title, d.prose.toString().strip(), d.narration.toString().strip(), d.blocks, d.hints, d.line,
                    d.backends, d.elsewhere));
        }
        if (fm.lineCount > 0 && steps.isEmpty()) {
            problems.add(new Problem(file, fm.lineCount + 1, "lesson has no steps: add a '## Step: ...' heading"));
        }
        if (id == null) {
            return null;
        }
        if (!downloads && (fm.get("downloads") == null || "false".equals(fm.string("downloads")))) {
            for (Step st : built) {
                st.blocks().stream().filter(b -> b.code().contains("ssilab fetch") || b.code().contains("SSILAB_MIRROR")).findFirst()
                        .ifPresent(b -> problems.add(new Problem(file, b.line(), "step '" + st.title() + "' downloads (ssilab fetch), but the"
                                + " front matter does not say 'downloads: true': add it, so the lesson's steps get the course mirror (SSILAB_MIRROR)")));
            }
        }
        return new Lesson(id, title == null ? id : title, fm.list("requires"), fm.list("backends"), downloads,
                file, intro.toString().strip(), built);
    }

    /** Parses a fence's info string; null when it has no role (a plain example in the prose). */
    private static Block parseBlock(Path file, FencedCodeBlock fence, int line, List<Problem> problems) {
        String info = fence.getInfo() == null ? "" : fence.getInfo().strip();
        if (info.isEmpty()) {
            return null;
        }
        String[] words = info.split("\\s+");
        int first = 0;
        String language = "sh";
        if (Role.parse(words[0]).isEmpty() && !words[0].contains("=")) {
            language = words[0];
            first = 1;
        }
        if (first == words.length) {
            return null;
        }
        Role role = null;
        Target target = Target.HOST;
        Duration timeout = null;
        for (int i = first; i < words.length; i++) {
            String w = words[i];
            int eq = w.indexOf('=');
            if (eq > 0) {
                String key = w.substring(0, eq);
                String value = w.substring(eq + 1);
                switch (key) {
                    case "on" -> {
                        target = Target.parse(value);
                        if (target == null) {
                            problems.add(new Problem(file, line, "bad target 'on=" + value + "' (use on=host or on=node:N with N from 1 to 15)"));
                            target = Target.HOST;
                        }
                    }
                    case "timeout" -> {
                        Matcher m = TIMEOUT.matcher(value);
                        if (!m.matches()) {
                            problems.add(new Problem(file, line, "bad timeout '" + value + "' (use a number with ms, s, m or h, e.g. timeout=30s)"));
                        } else if (m.group(1).length() > 9 || duration(Long.parseLong(m.group(1)), m.group(2)).compareTo(MAX_TIMEOUT) > 0) {
                            // Bounded so the runner's deadline arithmetic cannot overflow, and a typo does not hang CI for years.
                            problems.add(new Problem(file, line, "timeout '" + value + "' is too long (at most " + MAX_TIMEOUT.toHours()
                                    + "h, e.g. timeout=60m)"));
                        } else if (duration(Long.parseLong(m.group(1)), m.group(2)).isZero()) {
                            problems.add(new Problem(file, line, "timeout '" + value + "' is zero: the block could never finish (give it time, e.g. timeout=30s)"));
                        } else {
                            timeout = duration(Long.parseLong(m.group(1)), m.group(2));
                        }
                    }
                    default -> problems.add(new Problem(file, line, "unknown attribute '" + key + "' (known: on=, timeout=)"));
                }
                continue;
            }
            var parsed = Role.parse(w);
            if (parsed.isEmpty()) {
                problems.add(new Problem(file, line, "unknown role '" + w + "' (known: run, check, solve, setup, cleanup, output, answer)"));
            } else if (role != null) {
                problems.add(new Problem(file, line, "block has two roles, '" + role.word() + "' and '" + w + "': split it in two blocks"));
            } else {
                role = parsed.get();
            }
        }
        if (role == null) {
            return null;
        }
        return new Block(role, language, fence.getLiteral(), target, timeout, line);
    }

    private static Duration duration(long n, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The hint's markdown when the node is a block quote starting with **Hint:**, else null. */
    private static String hint(Node node, List<String> lines) {
        String md = quoteStartingWith(node, lines, "Hint:");
        return md == null ? null : md.strip();
    }

    /**
     * A block quote starting with **Backends:**: {first line's backend names, the rest (what happens
     * on the other backends)}; null for any other node.
     */
    private static String[] backendsQuote(Node node, List<String> lines) {
        String md = quoteStartingWith(node, lines, "Backends:");
        if (md == null) {
            return null;
        }
        int nl = md.indexOf('\n');
        return nl < 0 ? new String[] {md.strip(), ""} : new String[] {md.substring(0, nl).strip(), md.substring(nl + 1).strip()};
    }

    /** The quote's markdown after its leading **LABEL**, when the node is a block quote that starts so; else null. */
    private static String quoteStartingWith(Node node, List<String> lines, String label) {
        if (!(node instanceof BlockQuote) || !(node.getFirstChild() instanceof Paragraph p)
                || !(p.getFirstChild() instanceof StrongEmphasis strong)
                || !text(strong).strip().equals(label)) {
            return null;
        }
        StringBuilder md = new StringBuilder();
        for (String l : source(lines, node).lines().toList()) {
            md.append(l.replaceFirst("^\\s*>\\s?", "")).append('\n');
        }
        return md.toString().replaceFirst("^\\s*\\*\\*" + Pattern.quote(label) + "\\*\\*[ \\t]*", "");
    }

    private static String text(Node node) {
        StringBuilder sb = new StringBuilder();
        for (Node c = node.getFirstChild(); c != null; c = c.getNext()) {
            if (c instanceof Text t) {
                sb.append(t.getLiteral());
            } else {
                sb.append(text(c));
            }
        }
        return sb.toString();
    }

    private static int firstLine(Node node) {
        List<SourceSpan> spans = node.getSourceSpans();
        return spans.isEmpty() ? 1 : spans.get(0).getLineIndex() + 1;
    }

    private static String source(List<String> lines, Node node) {
        List<SourceSpan> spans = node.getSourceSpans();
        if (spans.isEmpty()) {
            return "";
        }
        int from = spans.get(0).getLineIndex();
        int to = spans.get(spans.size() - 1).getLineIndex();
        return String.join("\n", lines.subList(from, Math.min(to + 1, lines.size())));
    }

    private static final class StepDraft {
        final String title;
        final int line;
        final StringBuilder prose = new StringBuilder();
        /** The prose without its run and output blocks: what auto-play shows before it types the commands. */
        final StringBuilder narration = new StringBuilder();
        final List<Block> blocks = new ArrayList<>();
        final List<String> hints = new ArrayList<>();
        List<String> backends = List.of();
        String elsewhere = "";

        StepDraft(String title, int line) {
            this.title = title;
            this.line = line;
        }
    }
}
