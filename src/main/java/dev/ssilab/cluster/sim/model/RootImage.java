package dev.ssilab.cluster.sim.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The contents of a new cluster's shared root, from the recipe the uml backend builds its nodes' root
 * from ({@code content/rootfs/}), so both backends show the same data: the cluster's hosts and users and
 * the dbdemo databases. Its programs are not copied: the simulator models them, and each program it
 * models gets a file saying so (so spawndaemon -d and ls see it). Added here: the usual folders, the
 * HOWTO's {@code ~/dbdemo}, the load-leveling list, the keepalive log, and the simulator's own
 * {@code /etc/fstab}.
 */
public final class RootImage {
    /**
     * The recipe's data the shared root takes as it is (files, or folders with all they hold). The rest of
     * the recipe is the uml node's own software: its programs and what sets them up (/etc/profile runs
     * /opt/ssi's shell setup, /etc/issue names busybox), which the simulator models instead of running.
     */
    private static final List<String> DATA = List.of("etc/hosts", "etc/passwd", "etc/group", "usr/share/dbdemo");

    /**
     * The one file the simulator shows differently from the recipe: the recipe's fstab is a uml node's
     * (UML's disks, mounted by its init), while the simulated cluster is OpenSSI's, whose shared root is
     * served by node 1 and fails over to node 2 (chard,node=1:2); lessons about failover read it.
     */
    private static final String OPENSSI_FSTAB = "/dev/ubd/0  /  ext3  chard,node=1:2  0 0\n";

    private final Path recipe;
    private final List<String> programFiles;

    /**
     * @param recipe content/rootfs
     * @param programFiles the path of each program the simulator models (/bin/ps, /usr/bin/migrate ...)
     */
    public RootImage(Path recipe, List<String> programFiles) {
        this.recipe = recipe;
        this.programFiles = List.copyOf(programFiles);
    }

    void populate(SharedFs fs) {
        try {
            for (String d : new String[] {"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/share/dbdemo", "/etc", "/root",
                    "/tmp", "/var/log", "/cluster/etc", "/proc", "/dev", "/devfs", "/home", "/root/dbdemo"}) {
                fs.mkdir(d, true);
            }
            for (String part : DATA) {
                copy(recipe.resolve(part), "/" + part, fs);
            }
            fs.write("/etc/fstab", OPENSSI_FSTAB, false);
            // The HOWTO types `cd ~/dbdemo; ./dbdemo alphabet`: the demo and its database are in root's home too.
            fs.write("/root/dbdemo/alphabet", fs.read("/usr/share/dbdemo/alphabet"), false);
            fs.write(LoadLeveler.LIST, "# programs the load leveler may move, one name a line\n", false);
            fs.write(Keepalive.LOG, "", false);
            String note = "ssilab sim: this program is modelled by the simulator\n";
            for (String program : programFiles) {
                fs.write(program, note, false);
            }
            if (programFiles.contains("/usr/bin/dbdemo")) {
                fs.write("/root/dbdemo/dbdemo", note, false);
            }
        } catch (SharedFs.FsError e) {
            throw new IllegalStateException("the simulator's root image is inconsistent: " + e.getMessage()
                    + " (is " + recipe + " ssilab's content/rootfs?)", e);
        }
    }

    /** Copies the recipe's file or folder {@code from} (with what it holds) to {@code to} on the shared root. */
    private static void copy(Path from, String to, SharedFs fs) throws SharedFs.FsError {
        if (!Files.exists(from)) {
            throw new IllegalStateException("the simulator's root recipe has no " + from
                    + " (it seeds the shared root from ssilab's content/rootfs)");
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.sorted().toList()) {
                String target = to + (f.equals(from) ? "" : "/" + from.relativize(f).toString().replace('\\', '/'));
                if (Files.isDirectory(f)) {
                    fs.mkdir(target, true);
                } else {
                    fs.write(target, Files.readString(f, StandardCharsets.UTF_8), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulator's root recipe " + from, e);
        }
    }
}
