package dev.ssilab.cluster.sim.commands;

import dev.ssilab.cluster.sim.model.SharedFs.FsError;
import dev.ssilab.cluster.sim.shell.Command;
import dev.ssilab.cluster.sim.shell.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Commands over the shared root's files and folders: cat, ls, mkdir, rm, mkfifo, touch.
 */
final class FileCommands {
    private FileCommands() {}

    static void register(Map<String, Command> m) {
        m.put("cat", FileCommands::cat);
        m.put("ls", FileCommands::ls);
        m.put("mkdir", FileCommands::mkdir);
        m.put("rm", FileCommands::rm);
        m.put("mkfifo", FileCommands::mkfifo);
        m.put("touch", FileCommands::touch);
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
                op.apply(abs);
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
}
