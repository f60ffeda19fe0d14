package dev.ssilab.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opens a console window per node, as the HOWTO's ssi-start did ("each node's console will appear in
 * a new xterm"): an xterm when X is running, a tmux window when inside tmux, otherwise none, and the
 * learner attaches with {@code ssilab console ID N}. SSILAB_CONSOLES=none|tmux|xterm overrides.
 */
public final class ConsoleWindows {

    /** Where the consoles go. */
    public enum Kind { XTERM, TMUX, NONE }

    /**
     * Appended to a window's console command: a console that failed (its manager died) keeps its
     * window open until a key, so the learner sees why; one whose node or cluster was stopped ends
     * with status 0 and its window closes.
     */
    private static final String KEEP_FAILURE = " || { echo \"console ended (status $?): press Enter to close\"; read x; }";

    private final Map<String, String> env;

    public ConsoleWindows(Map<String, String> env) {
        this.env = env;
    }

    public Kind kind() {
        String forced = env.getOrDefault("SSILAB_CONSOLES", "");
        switch (forced) {
            case "none" -> {
                return Kind.NONE;
            }
            case "tmux" -> {
                return Kind.TMUX;
            }
            case "xterm" -> {
                return Kind.XTERM;
            }
            default -> { }
        }
        if (present("DISPLAY") && onPath("xterm")) {
            return Kind.XTERM;
        }
        if (present("TMUX") && onPath("tmux")) {
            return Kind.TMUX;
        }
        return Kind.NONE;
    }

    /** Opens the nodes' consoles; returns one line saying where they are, for stderr. */
    public String open(int clusterId, List<Integer> nodes) {
        Kind kind = kind();
        List<String> failed = new ArrayList<>();
        for (int node : nodes) {
            List<String> attach = SelfCommand.of("console", Integer.toString(clusterId), Integer.toString(node));
            String title = title(clusterId, node);
            if (kind == Kind.TMUX) {
                // A window left from an earlier cluster with this id (or a console that failed) is
                // replaced, so there is never a second window of the same name.
                killTmuxWindows(title::equals);
            }
            List<String> argv = switch (kind) {
                case TMUX -> {
                    // tmux runs a window's command in its server's environment, not ours: hand over
                    // where the registry is, and keep a failed console's window open to show why.
                    StringBuilder sh = new StringBuilder("env");
                    for (String v : List.of("XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "SSILAB_HOME")) {
                        if (present(v)) {
                            sh.append(' ').append(quote(v + "=" + env.get(v)));
                        }
                    }
                    attach.forEach(w -> sh.append(' ').append(quote(w)));
                    sh.append(KEEP_FAILURE);
                    yield List.of("tmux", "new-window", "-d", "-n", title, sh.toString());
                }
                case XTERM -> {
                    StringBuilder sh = new StringBuilder();
                    attach.forEach(w -> sh.append(sh.length() == 0 ? "" : " ").append(quote(w)));
                    sh.append(KEEP_FAILURE);
                    yield List.of("setsid", "xterm", "-T", "node " + node + " of cluster " + clusterId, "-e", "sh", "-c", sh.toString());
                }
                case NONE -> List.of();
            };
            if (!argv.isEmpty() && !launch(argv, kind == Kind.TMUX)) {
                failed.add(Integer.toString(node));
            }
        }
        String which = nodes.size() == 1 ? "node " + nodes.get(0) : "nodes " + joined(nodes);
        String manual = "'ssilab console " + clusterId + " N' attaches to node N's console";
        return switch (kind) {
            case TMUX -> "consoles of " + which + " are in tmux windows ssi-" + clusterId + "-N"
                    + (failed.isEmpty() ? "" : " (could not open: " + String.join(" ", failed) + "; " + manual + ")");
            case XTERM -> "consoles of " + which + " are in xterms"
                    + (failed.isEmpty() ? "" : " (could not open: " + String.join(" ", failed) + "; " + manual + ")");
            case NONE -> "no X display or tmux here: " + manual;
        };
    }

    /**
     * Closes the tmux windows of these nodes' consoles (ssi-rm). Their consoles end by themselves when
     * the manager says the node stopped; this also closes one that could not be told (its manager is
     * gone, or it shows an earlier error). Does nothing outside tmux.
     */
    public void close(int clusterId, List<Integer> nodes) {
        if (kind() == Kind.TMUX) {
            List<String> titles = nodes.stream().map(n -> title(clusterId, n)).toList();
            killTmuxWindows(titles::contains);
        }
    }

    /** Closes every tmux console window of the cluster (ssi-stop), whichever nodes it had. */
    public void closeAll(int clusterId) {
        if (kind() == Kind.TMUX) {
            String prefix = "ssi-" + clusterId + "-";
            killTmuxWindows(name -> name.startsWith(prefix) && name.substring(prefix.length()).matches("[0-9]+"));
        }
    }

    static String title(int clusterId, int node) {
        return "ssi-" + clusterId + "-" + node;
    }

    /** Kills the windows, in every session of this tmux server, whose name passes; by id, so names never mis-match. */
    private static void killTmuxWindows(java.util.function.Predicate<String> name) {
        String listing = output(List.of("tmux", "list-windows", "-a", "-F", "#{window_id} #{window_name}"));
        for (String line : listing.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && name.test(line.substring(space + 1))) {
                launch(List.of("tmux", "kill-window", "-t", line.substring(0, space)), true);
            }
        }
    }

    /**
     * A short listing's stdout (it fits in the pipe, so waiting first cannot block the command), or ""
     * when the command fails or hangs: closing windows is a courtesy that must not hang ssi-stop.
     */
    private static String output(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            byte[] out = p.getInputStream().readAllBytes();
            return p.exitValue() == 0 ? new String(out, java.nio.charset.StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** tmux new-window returns at once; an xterm runs detached for as long as its console does. */
    private static boolean launch(List<String> argv, boolean wait) {
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            if (!wait) {
                return true;
            }
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean present(String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    private boolean onPath(String program) {
        for (String dir : env.getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String joined(List<Integer> nodes) {
        return String.join(" ", nodes.stream().map(String::valueOf).toList());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
