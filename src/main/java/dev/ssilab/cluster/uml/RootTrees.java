package dev.ssilab.cluster.uml;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The pieces of a root image as folders, for building one by hand as the HOWTO does (chapter "Building
 * a Root Image"): a base tree (what a distribution gives: busybox, its applets, a PC's /etc with
 * busybox init's start-up scripts) and the SSI cluster tools (content/rootfs without the files a
 * distribution owns), with a Makefile that checks and installs them into a tree. No root privileges.
 */
public final class RootTrees {
    static final List<String> BASE_DIRS = List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc/init.d", "proc", "sys", "dev",
            "tmp", "run", "root", "mnt", "home", "var/log", "var/tmp");
    /** Files of content/rootfs that belong to the distribution or to the one who configures the root, not to the tools. */
    static final Set<String> NOT_TOOLS = Set.of("etc/fstab", "etc/passwd", "etc/group");

    /** The base tree's /etc: a PC's, with busybox init's start-up scripts. */
    static final Map<String, String> BASE_ETC = Map.of(
            "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
            "etc/group", "root:x:0:\nnogroup:x:65534:\n",
            "etc/hostname", "localhost\n",
            "etc/fstab", """
                    # /etc/fstab of a PC: the root file system on the first disk's first partition, swap on the second.
                    # device    mount point  type    options     dump pass
                    /dev/sda1   /            ext4    defaults    0    1
                    /dev/sda2   none         swap    sw          0    0
                    proc        /proc        proc    defaults    0    0
                    sysfs       /sys         sysfs   defaults    0    0
                    """,
            "etc/inittab", """
                    # busybox init: run the start-up scripts, then a login prompt on each virtual console.
                    ::sysinit:/etc/init.d/rcS
                    tty1::respawn:/sbin/getty 38400 tty1
                    tty2::respawn:/sbin/getty 38400 tty2
                    tty3::respawn:/sbin/getty 38400 tty3
                    ::ctrlaltdel:/sbin/reboot
                    ::shutdown:/bin/umount -a -r
                    """,
            "etc/init.d/rcS", """
                    #!/bin/sh
                    # Runs the start-up scripts /etc/init.d/S* in order, those that are executable.
                    for script in /etc/init.d/S*; do
                        [ -x "$script" ] && "$script" start
                    done
                    """,
            "etc/init.d/S10mount", """
                    #!/bin/sh
                    # Mounts the file systems listed in /etc/fstab, and turns on its swap.
                    mount -a
                    swapon -a
                    """,
            "etc/init.d/S20hwclock", """
                    #!/bin/sh
                    # Sets the system clock from the PC's clock chip.
                    hwclock --hctosys
                    """,
            "etc/init.d/S40network", """
                    #!/bin/sh
                    # The PC's network card, on the office network.
                    ip addr add 192.168.1.20/24 dev eth0
                    ip link set eth0 up
                    ip route add default via 192.168.1.1
                    """);

    private static final String TOOLS_MAKEFILE = """
            # SSI cluster tools for ssilab's User-Mode Linux nodes (the HOWTO's "cluster tools").
            #   make                                check every script (they are shell scripts: nothing to compile)
            #   make install DESTDIR=/path/to/root  install them into a root tree (no root privileges needed)
            SCRIPTS := $(sort $(shell find sbin opt usr/bin -type f 2>/dev/null))
            FILES := $(sort $(shell find . -mindepth 2 \\( -type f -o -type l \\) | sed 's|^\\./||'))

            all: check

            check:
            \t@for f in $(SCRIPTS); do sh -n "$$f" || { echo "$$f: syntax error"; exit 1; }; done
            \t@echo "$(words $(SCRIPTS)) scripts checked: no syntax error"

            install: check
            \t@test -n "$(DESTDIR)" || { echo "make install needs DESTDIR=/path/to/root, the root tree to install into"; exit 1; }
            \t@test -e "$(DESTDIR)/bin/sh" || test -L "$(DESTDIR)/bin/sh" || { echo "$(DESTDIR) is not a root tree (it has no bin/sh)"; exit 1; }
            \tmkdir -p "$(DESTDIR)/cluster" "$(DESTDIR)/devfs"
            \t@for f in $(FILES); do \\
            \t    mkdir -p "$(DESTDIR)/$$(dirname "$$f")" && cp -a --remove-destination "$$f" "$(DESTDIR)/$$f" || exit 1; \\
            \tdone
            \t@echo "installed $(words $(FILES)) files into $(DESTDIR): /sbin/init is now the cluster's init"

            .PHONY: all check install
            """;

    private static final String TOOLS_README = """
            SSI cluster tools for ssilab's User-Mode Linux nodes
            ====================================================

            sbin/init      the node's init: mounts /proc, /sys, /dev and /cluster (the cluster's shared
                           folder), brings up the cluster network (vec0, 169.254.50.N), sets the node's
                           pid range, starts the agent, and serves the manager's command lines
            opt/ssi/bin/   the cluster commands (cluster, onnode, onall, where_pid, ps, kill, ...) and
                           ssi-agent, which serves the other nodes
            opt/ssi/lib/   what they share
            etc/           the nodes' names (hosts) and PATH (profile)

            make                                 checks the scripts
            make install DESTDIR=/path/to/root   installs every file below into a root tree

            Files:
            """;

    private final Path recipe;
    private final Consumer<String> progress;

    /** @param recipe content/rootfs */
    public RootTrees(Path recipe, Consumer<String> progress) {
        this.recipe = recipe;
        this.progress = progress;
    }

    /** Writes the base tree into {@code dir}, which must not exist yet or be empty. */
    public void base(Path dir) {
        Path out = emptyTarget(dir, "base root tree");
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("ssilab-base");
            Path busybox = RootfsBuilder.findStaticBusybox(tmp, progress);
            Files.createDirectories(out);
            for (String d : BASE_DIRS) {
                Files.createDirectories(out.resolve(d));
            }
            Path bb = out.resolve("bin/busybox");
            Files.copy(busybox, bb, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(bb, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String applet : RootfsBuilder.applets(busybox)) {
                Path link = out.resolve(applet);
                if (applet.equals("bin/busybox") || Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Files.createDirectories(link.getParent());
                // relative, so that the tree's links never point at the host's own /bin/busybox
                Files.createSymbolicLink(link, link.getParent().relativize(bb));
            }
            for (Map.Entry<String, String> e : BASE_ETC.entrySet()) {
                Path f = out.resolve(e.getKey());
                Files.writeString(f, e.getValue());
                boolean script = e.getKey().startsWith("etc/init.d/");
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(script ? "rwxr-xr-x" : "rw-r--r--"));
            }
            Files.setPosixFilePermissions(out.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.setPosixFilePermissions(out.resolve("var/tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.setPosixFilePermissions(out.resolve("root"), PosixFilePermissions.fromString("rwx------"));
            progress.accept("Base root tree written: " + out + " (busybox " + busybox + ", its applets, a PC's /etc)");
        } catch (IOException e) {
            throw new UserError("cannot write the base root tree " + out + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                KernelInstaller.deleteTree(tmp);
            }
        }
    }

    /** Writes the cluster tools, their Makefile and README into {@code dir}, which must not exist yet or be empty. */
    public void tools(Path dir) {
        if (!Files.isDirectory(recipe)) {
            throw new UserError("the cluster tools' recipe is not found: " + recipe + " (is SSILAB_HOME right?)");
        }
        Path out = emptyTarget(dir, "cluster tools folder");
        try {
            Files.createDirectories(out);
            List<Path> files;
            try (Stream<Path> s = Files.walk(recipe)) {
                files = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)).sorted().toList();
            }
            StringBuilder listing = new StringBuilder();
            int n = 0;
            for (Path src : files) {
                String rel = recipe.relativize(src).toString().replace('\\', '/');
                if (NOT_TOOLS.contains(rel)) {
                    continue;
                }
                Path dst = out.resolve(rel);
                Files.createDirectories(dst.getParent());
                if (Files.isSymbolicLink(src)) {
                    Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
                    listing.append("  ").append(rel).append(" -> ").append(Files.readSymbolicLink(src)).append('\n');
                } else {
                    Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString(
                            RootfsBuilder.executable(rel, src) ? "rwxr-xr-x" : "rw-r--r--"));
                    listing.append("  ").append(rel).append('\n');
                }
                n++;
            }
            Files.writeString(out.resolve("Makefile"), TOOLS_MAKEFILE);
            Files.writeString(out.resolve("README"), TOOLS_README + listing);
            progress.accept("Cluster tools written: " + out + " (" + n + " files, a Makefile and a README)");
        } catch (IOException e) {
            throw new UserError("cannot write the cluster tools to " + out + ": " + e.getMessage());
        }
    }

    private static Path emptyTarget(Path dir, String what) {
        Path out = dir.toAbsolutePath().normalize();
        if (out.getParent() == null || !Files.isDirectory(out.getParent())) {
            throw new UserError("cannot write the " + what + " to " + out + ": folder " + out.getParent() + " does not exist");
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            boolean empty;
            try (Stream<Path> s = Files.list(out)) {
                empty = s.findAny().isEmpty();
            } catch (IOException e) {
                empty = false;
            }
            if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS) || !empty) {
                throw new UserError(out + " already exists and is not an empty folder: remove it first, or give another name");
            }
        }
        return out;
    }
}
