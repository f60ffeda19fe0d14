package dev.ssilab.course;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The YAML front matter of a lesson: the small subset lessons use (scalars and lists of scalars).
 *
 * <p>A full YAML parser would accept far more than a lesson may say and report errors without the
 * lesson's line numbers; this one knows the five keys and says exactly which line is wrong.
 */
final class FrontMatter {
    static final List<String> KEYS = List.of("id", "title", "requires", "backends", "downloads");

    /** A value with the line it came from. */
    record Entry(Object value, int line) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Number of lines the front matter takes, fences included (0 when there is none). */
    final int lineCount;

    private FrontMatter(int lineCount) {
        this.lineCount = lineCount;
    }

    Entry get(String key) {
        return entries.get(key);
    }

    String string(String key) {
        Entry e = entries.get(key);
        return e != null && e.value() instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    List<String> list(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return List.of();
        }
        if (e.value() instanceof List<?> l) {
            return (List<String>) l;
        }
        return List.of((String) e.value());
    }

    static FrontMatter parse(Path file, List<String> lines, List<Problem> problems) {
        if (lines.isEmpty() || !lines.get(0).strip().equals("---")) {
            problems.add(new Problem(file, 1, "missing front matter: a lesson starts with a '---' line, then id: and title:"));
            return new FrontMatter(0);
        }
        int end = -1;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("---")) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            problems.add(new Problem(file, 1, "front matter is not closed: add a '---' line after its last key"));
            return new FrontMatter(0);
        }
        FrontMatter fm = new FrontMatter(end + 1);
        String listKey = null;
        for (int i = 1; i < end; i++) {
            int lineNo = i + 1;
            String raw = stripComment(lines.get(i));
            if (raw.isBlank()) {
                continue;
            }
            if (raw.stripLeading().startsWith("- ") && listKey != null) {
                @SuppressWarnings("unchecked")
                List<String> l = (List<String>) fm.entries.get(listKey).value();
                l.add(unquote(raw.stripLeading().substring(2).strip()));
                continue;
            }
            int colon = raw.indexOf(':');
            if (colon <= 0 || Character.isWhitespace(raw.charAt(0))) {
                problems.add(new Problem(file, lineNo, "front matter line is not 'key: value': " + raw.strip()));
                listKey = null;
                continue;
            }
            String key = raw.substring(0, colon).strip();
            String value = raw.substring(colon + 1).strip();
            listKey = null;
            if (!KEYS.contains(key)) {
                problems.add(new Problem(file, lineNo, "unknown front matter key '" + key + "' (known: " + String.join(", ", KEYS) + ")"));
                continue;
            }
            if (fm.entries.containsKey(key)) {
                problems.add(new Problem(file, lineNo, "front matter key '" + key + "' is given twice"));
                continue;
            }
            if (value.isEmpty()) {
                fm.entries.put(key, new Entry(new ArrayList<String>(), lineNo));
                listKey = key;
            } else if (value.startsWith("[")) {
                if (!value.endsWith("]")) {
                    problems.add(new Problem(file, lineNo, "list for '" + key + "' is not closed with ']'"));
                    continue;
                }
                List<String> items = new ArrayList<>();
                String inner = value.substring(1, value.length() - 1).strip();
                if (!inner.isEmpty()) {
                    for (String item : inner.split(",")) {
                        items.add(unquote(item.strip()));
                    }
                }
                fm.entries.put(key, new Entry(items, lineNo));
            } else {
                fm.entries.put(key, new Entry(unquote(value), lineNo));
            }
        }
        return fm;
    }

    private static String stripComment(String line) {
        // A '#' starts a comment only at the line start or after a space, as in YAML.
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
