package dev.ssilab.cluster.sim.commands;

import dev.ssilab.cluster.sim.model.SharedFs.FsError;
import dev.ssilab.cluster.sim.model.Sink;
import dev.ssilab.cluster.sim.shell.Command;
import dev.ssilab.cluster.sim.shell.Invocation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Commands that read text, from files or standard input: grep, wc -l, head, tail.
 */
final class TextCommands {
    private TextCommands() {}

    static void register(Map<String, Command> m) {
        m.put("grep", TextCommands::grep);
        m.put("wc", TextCommands::wc);
        m.put("head", inv -> headTail(inv, true));
        m.put("tail", inv -> headTail(inv, false));
    }

    /** Reads the named files (or standard input) as text; null after reporting an error. */
    private static String input(Invocation inv, List<String> files) throws InterruptedException {
        if (files.isEmpty()) {
            return inv.in().readAll();
        }
        StringBuilder b = new StringBuilder();
        for (String f : files) {
            Sink.Buffer buf = new Sink.Buffer();
            try {
                inv.shell().namespace().copy(inv.shell().path(f), buf, inv.node());
            } catch (FsError e) {
                if (e.notModelled) {
                    inv.notModelled(inv.name() + " " + f);
                } else {
                    inv.fail(2, f + ": " + e.getMessage());
                }
                return null;
            }
            b.append(buf.text());
        }
        return b.toString();
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        return Arrays.asList((text.endsWith("\n") ? text.substring(0, text.length() - 1) : text).split("\n", -1));
    }

    private static int grep(Invocation inv) throws InterruptedException {
        boolean quiet = false;
        boolean invert = false;
        boolean count = false;
        boolean ignoreCase = false;
        boolean fixed = false;
        boolean extended = false;
        String pattern = null;
        List<String> files = new ArrayList<>();
        for (String a : inv.args()) {
            if (pattern == null && a.startsWith("-") && a.length() > 1) {
                for (char ch : a.substring(1).toCharArray()) {
                    switch (ch) {
                        case 'q' -> quiet = true;
                        case 'v' -> invert = true;
                        case 'c' -> count = true;
                        case 'i' -> ignoreCase = true;
                        case 'F' -> fixed = true;
                        case 'E' -> extended = true;
                        default -> {
                            return inv.notModelled("grep " + a);
                        }
                    }
                }
            } else if (pattern == null) {
                pattern = a;
            } else {
                files.add(a);
            }
        }
        if (pattern == null) {
            return inv.fail(2, "usage: grep [-qvciFE] PATTERN [FILE...]");
        }
        Pattern re;
        try {
            String regex = fixed ? Pattern.quote(pattern) : extended ? pattern : basicToJava(pattern);
            re = Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            return inv.fail(2, "invalid pattern '" + pattern + "'");
        }
        String text = input(inv, files);
        if (text == null) {
            return 2;
        }
        int matches = 0;
        StringBuilder b = new StringBuilder();
        for (String line : lines(text)) {
            if (re.matcher(line).find() != invert) {
                matches++;
                b.append(line).append('\n');
            }
        }
        if (!quiet) {
            inv.print(count ? matches + "\n" : b.toString());
        }
        return matches > 0 ? 0 : 1;
    }

    /** POSIX basic regular expressions: \( \) \{ \} \| \+ are operators, bare ( ) { } | + are literals. */
    static String basicToJava(String bre) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bre.length(); i++) {
            char ch = bre.charAt(i);
            if (ch == '\\' && i + 1 < bre.length()) {
                char n = bre.charAt(++i);
                b.append("(){}|+?".indexOf(n) >= 0 ? String.valueOf(n) : "\\" + n);
            } else if ("(){}|+?".indexOf(ch) >= 0) {
                b.append('\\').append(ch);
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static int wc(Invocation inv) throws InterruptedException {
        List<String> files = new ArrayList<>();
        boolean linesOnly = false;
        for (String a : inv.args()) {
            if (a.equals("-l")) {
                linesOnly = true;
            } else if (a.startsWith("-")) {
                return inv.notModelled("wc " + a);
            } else {
                files.add(a);
            }
        }
        if (!linesOnly) {
            return inv.notModelled("wc without -l");
        }
        if (files.size() > 1) {
            return inv.notModelled("wc -l with several files");
        }
        String text = input(inv, files);
        if (text == null) {
            return 1;
        }
        long n = text.chars().filter(ch -> ch == '\n').count();
        inv.print(files.isEmpty() ? n + "\n" : n + " " + files.get(0) + "\n");
        return 0;
    }

    private static int headTail(Invocation inv, boolean head) throws InterruptedException {
        int n = 10;
        List<String> files = new ArrayList<>();
        List<String> args = inv.args();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-n") && i + 1 < args.size() && args.get(i + 1).matches("\\d+")) {
                n = Integer.parseInt(args.get(++i));
            } else if (a.matches("-n?\\d+")) {
                n = Integer.parseInt(a.replaceAll("\\D", ""));
            } else if (a.startsWith("-")) {
                return inv.notModelled(inv.name() + " " + a);
            } else {
                files.add(a);
            }
        }
        String text = input(inv, files);
        if (text == null) {
            return 1;
        }
        List<String> lines = lines(text);
        List<String> part = head ? lines.subList(0, Math.min(n, lines.size()))
                : lines.subList(Math.max(0, lines.size() - n), lines.size());
        StringBuilder b = new StringBuilder();
        part.forEach(l -> b.append(l).append('\n'));
        inv.print(b.toString());
        return 0;
    }
}
