package dev.ssilab.cluster.sim;

import dev.ssilab.cluster.sim.SharedFs.FsError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Shell basics over the shared root: echo, cat, ls, mkdir, rm, mkfifo, touch, grep, wc -l, head, tail,
 * true, false, :, cd, pwd, exit, logout, export, hostname, date, whoami, clear.
 */
final class FileCommands {
    private FileCommands() {}

    static void register(Map<String, Command> m) {
        m.put("echo", FileCommands::echo);
        m.put("true", inv -> 0);
        m.put(":", inv -> 0);
        m.put("false", inv -> 1);
        m.put("cat", FileCommands::cat);
        m.put("ls", FileCommands::ls);
        m.put("mkdir", FileCommands::mkdir);
        m.put("rm", FileCommands::rm);
        m.put("mkfifo", FileCommands::mkfifo);
        m.put("touch", FileCommands::touch);
        m.put("grep", FileCommands::grep);
        m.put("wc", FileCommands::wc);
        m.put("head", inv -> headTail(inv, true));
        m.put("tail", inv -> headTail(inv, false));
        m.put("cd", FileCommands::cd);
        m.put("pwd", inv -> {
            inv.print(inv.shell().cwd() + "\n");
            return 0;
        });
        m.put("exit", FileCommands::exit);
        m.put("logout", FileCommands::exit);
        m.put("whoami", inv -> {
            inv.print("root\n"); // every session on a simulated node is root's, as on the HOWTO's nodes
            return 0;
        });
        m.put("clear", inv -> {
            inv.print("\033[H\033[2J");
            return 0;
        });
        m.put("export", FileCommands::export);
        m.put("date", inv -> {
            if (!inv.args().isEmpty()) {
                return inv.notModelled("date " + String.join(" ", inv.args()));
            }
            inv.print(java.time.ZonedDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern(
                    "EEE MMM d HH:mm:ss zzz yyyy", java.util.Locale.ENGLISH)) + "\n");
            return 0;
        });
        m.put("hostname", inv -> {
            inv.print("node" + inv.node() + "\n");
            return 0;
        });
    }

    private static int echo(Invocation inv) throws InterruptedException {
        List<String> args = inv.args();
        boolean newline = true;
        boolean escapes = false;
        int i = 0;
        while (i < args.size() && args.get(i).matches("-[neE]+")) {
            newline &= !args.get(i).contains("n");
            escapes = args.get(i).contains("e") || (escapes && !args.get(i).contains("E"));
            i++;
        }
        String text = String.join(" ", args.subList(i, args.size()));
        if (escapes) {
            text = text.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
        }
        inv.print(newline ? text + "\n" : text);
        return 0;
    }

    private static int cat(Invocation inv) throws InterruptedException {
        List<String> files = new ArrayList<>();
        for (String a : inv.args()) {
            if (a.startsWith("-") && !a.equals("-")) {
                return inv.notModelled("cat " + a);
            }
            files.add(a);
        }
        if (files.isEmpty()) {
            inv.print(inv.in().readAll());
            return 0;
        }
        int status = 0;
        for (String f : files) {
            if (f.equals("-")) {
                inv.print(inv.in().readAll());
                continue;
            }
            try {
                if (inv.shell().namespace().isDirectory(inv.shell().path(f))) {
                    status = inv.fail(1, f + ": Is a directory");
                    continue;
                }
                inv.shell().namespace().copy(inv.shell().path(f), inv.out(), inv.node());
            } catch (FsError e) {
                status = e.notModelled ? inv.notModelled("cat " + f) : inv.fail(1, f + ": " + e.getMessage());
            }
        }
        return status;
    }

    private static int ls(Invocation inv) throws InterruptedException {
        List<String> paths = new ArrayList<>();
        for (String a : inv.args()) {
            if (a.equals("-1")) {
                continue;
            }
            if (a.startsWith("-")) {
                return inv.notModelled("ls " + a);
            }
            paths.add(a);
        }
        if (paths.isEmpty()) {
            paths.add(".");
        }
        int status = 0;
        for (String p : paths) {
            try {
                List<String> names = inv.shell().namespace().list(inv.shell().path(p));
                if (paths.size() > 1 && inv.shell().namespace().isDirectory(inv.shell().path(p))) {
                    inv.print(p + ":\n");
                }
                for (String n : names) {
                    inv.print((inv.shell().namespace().isDirectory(inv.shell().path(p)) ? n : p) + "\n");
                }
            } catch (FsError e) {
                status = inv.fail(2, "cannot access '" + p + "': " + e.getMessage());
            }
        }
        return status;
    }

    private interface FsOp {
        void apply(String abs) throws FsError;
    }

    private static int eachPath(Invocation inv, List<String> paths, String verb, FsOp op) throws InterruptedException {
        if (paths.isEmpty()) {
            return inv.fail(1, "missing operand");
        }
        int status = 0;
        for (String p : paths) {
            String abs = inv.shell().path(p);
            if (abs.matches("/(proc|devfs|dev)(/.*)?|/cluster/node\\d+(/.*)?")) {
                status = inv.fail(1, verb + " '" + p + "': Operation not permitted");
                continue;
            }
            try {
                synchronized (inv.cluster()) {
                    op.apply(abs);
                }
            } catch (FsError e) {
                status = inv.fail(1, verb + " '" + p + "': " + e.getMessage());
            }
        }
        return status;
    }

    private static List<String> options(Invocation inv, String allowed, List<String> flags) throws InterruptedException {
        List<String> paths = new ArrayList<>();
        for (String a : inv.args()) {
            if (a.startsWith("-") && a.length() > 1) {
                for (char ch : a.substring(1).toCharArray()) {
                    if (allowed.indexOf(ch) < 0) {
                        inv.notModelled(inv.name() + " " + a);
                        return null;
                    }
                    flags.add(String.valueOf(ch));
                }
            } else {
                paths.add(a);
            }
        }
        return paths;
    }

    private static int mkdir(Invocation inv) throws InterruptedException {
        List<String> flags = new ArrayList<>();
        List<String> paths = options(inv, "p", flags);
        if (paths == null) {
            return 127;
        }
        boolean parents = flags.contains("p");
        return eachPath(inv, paths, "cannot create directory", abs -> inv.cluster().fs.mkdir(abs, parents));
    }

    private static int rm(Invocation inv) throws InterruptedException {
        List<String> flags = new ArrayList<>();
        List<String> paths = options(inv, "rfR", flags);
        if (paths == null) {
            return 127;
        }
        boolean recursive = flags.contains("r") || flags.contains("R");
        boolean force = flags.contains("f");
        return eachPath(inv, paths, "cannot remove", abs -> {
            try {
                inv.cluster().fs.remove(abs, recursive);
            } catch (FsError e) {
                if (!(force && e.getMessage().startsWith("No such"))) {
                    throw e;
                }
            }
        });
    }

    private static int mkfifo(Invocation inv) throws InterruptedException {
        List<String> flags = new ArrayList<>();
        List<String> paths = options(inv, "", flags);
        return paths == null ? 127 : eachPath(inv, paths, "cannot create fifo", abs -> inv.cluster().fs.mkfifo(abs));
    }

    private static int touch(Invocation inv) throws InterruptedException {
        List<String> flags = new ArrayList<>();
        List<String> paths = options(inv, "", flags);
        return paths == null ? 127 : eachPath(inv, paths, "cannot touch", abs -> inv.cluster().fs.touch(abs));
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

    private static int cd(Invocation inv) throws InterruptedException {
        String target = inv.args().isEmpty() ? "/root" : inv.args().get(0);
        String abs = inv.shell().path(target);
        if (!inv.shell().namespace().isDirectory(abs)) {
            inv.err().write("bash: cd: " + target + ": "
                    + (inv.shell().namespace().exists(abs) ? "Not a directory" : "No such file or directory") + "\n");
            return 1;
        }
        inv.shell().cd(abs);
        return 0;
    }

    private static int exit(Invocation inv) throws InterruptedException {
        int code = inv.shell().status();
        if (!inv.args().isEmpty()) {
            Integer n = ProcessCommands.number(inv.args().get(0));
            if (n == null) {
                inv.err().write("bash: exit: " + inv.args().get(0) + ": numeric argument required\n");
                code = 2;
            } else {
                code = n & 0xff;
            }
        }
        inv.shell().requestExit();
        return code;
    }

    private static int export(Invocation inv) {
        // variables are already set by the assignment words; export only marks them, which we need not model
        for (String a : inv.args()) {
            int eq = a.indexOf('=');
            if (eq > 0) {
                inv.shell().setVariable(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        return 0;
    }
}
