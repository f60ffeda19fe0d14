package dev.ssilab.cluster.uml;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Makes the nodes' root image without root privileges: Debian's static busybox plus content/rootfs/,
 * staged in a temp folder with fixed times, then {@code mkfs.ext4 -d} with a fixed UUID, hash seed and
 * clock so the same inputs give the same bytes.
 */
public final class RootfsBuilder {
    static final long IMAGE_MB = 48;
    /** 2002-03-06 18:03:48 UTC, the day of the HOWTO's ssi-ls example: every file's time in the image. */
    static final long FIXED_EPOCH = 1015437828L;
    private static final String FIXED_UUID = "55d1ab00-0000-4000-8000-000000000001";
    private static final String FIXED_HASH_SEED = "55d1ab00-0000-4000-8000-000000000002";
    private static final List<String> DIRS = List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc", "sys",
            "dev", "tmp", "run", "root", "cluster", "devfs", "mnt", "var/log", "opt/ssi/bin");

    private final Path recipe;
    private final Consumer<String> progress;

    /** @param recipe content/rootfs */
    public RootfsBuilder(Path recipe, Consumer<String> progress) {
        this.recipe = recipe;
        this.progress = progress;
    }

    /** Builds the image at {@code output} (replacing it atomically) and returns its size in bytes. */
    public long build(Path output) {
        if (!Files.isDirectory(recipe)) {
            throw new UserError("root image recipe not found: " + recipe + " (is SSILAB_HOME right?)");
        }
        Path out = output.toAbsolutePath().normalize();
        return makeImage(out, stage -> {
            Path busybox = findStaticBusybox(stage.getParent(), progress);
            progress.accept("Staging busybox (" + busybox + ") and " + recipe + " ...");
            Files.createDirectory(stage);
            stage(stage, busybox);
        }, "");
    }

    /**
     * Makes a root image of a folder (a tree built by hand): the folder is copied to a temp stage (it is
     * left as it is), its times fixed, then the same {@code mkfs.ext4 -d} as {@link #build}. Returns the size.
     */
    public long image(Path from, Path output) {
        Path src = from.toAbsolutePath().normalize();
        if (!Files.isDirectory(src)) {
            throw new UserError("cannot make a root image of " + from + ": it is not a folder");
        }
        if (!Files.exists(src.resolve("sbin/init"), LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError(from + " has no sbin/init, so no node could boot from it: install the cluster tools into it first");
        }
        Path out = output.toAbsolutePath().normalize();
        if (out.startsWith(src)) {
            throw new UserError("cannot write the root image " + out + " inside the folder it is made of (" + src + ")");
        }
        return makeImage(out, stage -> {
            HostCommand.Result cp = HostCommand.run(List.of("cp", "-a", src.toString(), stage.toString()), null, 300);
            if (!cp.ok()) {
                throw new UserError("cannot copy " + src + ": " + cp.output().strip());
            }
        }, " of " + src);
    }

    /** Fills a stage folder (which does not exist yet) with the root's files. */
    private interface StageFiller {
        void fill(Path stage) throws IOException;
    }

    /**
     * The part both ways share: a temp stage filled by {@code fill}, its times fixed, {@code mkfs.ext4 -d}
     * into a hidden file beside {@code out}, then an atomic rename; nothing is left behind on failure.
     */
    private long makeImage(Path out, StageFiller fill, String ofWhat) {
        if (HostCommand.program("mkfs.ext4").equals("mkfs.ext4") && !HostCommand.onPath("mkfs.ext4")) {
            throw new UserError("mkfs.ext4 not found: install e2fsprogs (apt-get install -y e2fsprogs)");
        }
        Path parent = out.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UserError("cannot write the root image to " + out + ": folder " + parent + " does not exist");
        }
        Path tmpRoot = null;
        Path image = out.getParent().resolve("." + out.getFileName() + ".building");
        try {
            tmpRoot = Files.createTempDirectory("ssilab-rootfs");
            Path stage = tmpRoot.resolve("root");
            fill.fill(stage);
            fixTimes(stage);
            progress.accept("Making the ext4 image" + ofWhat + " (" + IMAGE_MB + " MB, sparse) ...");
            Files.deleteIfExists(image);
            HostCommand.Result r = runMkfs(image, stage);
            if (!r.ok()) {
                throw new UserError("mkfs.ext4 failed: " + r.output().strip());
            }
            fixChangeTimes(image, stage, tmpRoot);
            Files.move(image, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            progress.accept("Root image written: " + out);
            return Files.size(out);
        } catch (IOException e) {
            throw new UserError("cannot build the root image at " + out + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(image);
            } catch (IOException ignored) {
                // best effort: a hidden leftover next to the output
            }
            if (tmpRoot != null) {
                KernelInstaller.deleteTree(tmpRoot);
            }
        }
    }

    /**
     * mkfs.ext4 -d copies each file's ctime, which no unprivileged program can set on the host: set it
     * inside the image instead, with one debugfs session.
     */
    private static void fixChangeTimes(Path image, Path stage, Path tmp) throws IOException {
        StringBuilder script = new StringBuilder();
        try (Stream<Path> s = Files.walk(stage)) {
            for (Path p : s.sorted().toList()) {
                String inImage = "/" + stage.relativize(p).toString().replace('\\', '/');
                script.append("sif \"").append(inImage).append("\" ctime @").append(FIXED_EPOCH).append('\n');
            }
        }
        Path commands = tmp.resolve("debugfs.cmds");
        Files.writeString(commands, script.toString());
        ProcessBuilder pb = new ProcessBuilder(HostCommand.program("debugfs"), "-w", "-f", commands.toString(), image.toString())
                .redirectErrorStream(true);
        pb.environment().put("E2FSPROGS_FAKE_TIME", Long.toString(FIXED_EPOCH));
        Process p = HostCommand.start(pb, pb.command());
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new UserError("debugfs could not fix the image's times: " + out.strip().lines().reduce((a, b) -> b).orElse(""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while making the root image");
        } finally {
            p.destroyForcibly();
        }
    }

    private static HostCommand.Result runMkfs(Path image, Path stage) {
        List<String> argv = List.of(HostCommand.program("mkfs.ext4"), "-q", "-F", "-L", "ssilab-root", "-U", FIXED_UUID,
                "-E", "hash_seed=" + FIXED_HASH_SEED + ",root_owner=0:0,nodiscard",
                "-N", "2048", "-d", stage.toString(), image.toString(), IMAGE_MB + "M");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        // e2fsprogs reads its clock from this variable: fixed superblock and inode times
        pb.environment().put("E2FSPROGS_FAKE_TIME", Long.toString(FIXED_EPOCH));
        pb.environment().put("MKE2FS_DEVICE_SECTSIZE", "512");
        Process p = HostCommand.start(pb, argv);
        try {
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new UserError("mkfs.ext4 did not finish within 120 s");
            }
            return new HostCommand.Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while making the root image");
        } finally {
            p.destroyForcibly();
        }
    }

    private void stage(Path stage, Path busybox) throws IOException {
        for (String d : DIRS) {
            Files.createDirectories(stage.resolve(d));
        }
        Path bb = stage.resolve("bin/busybox");
        Files.copy(busybox, bb, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(bb, PosixFilePermissions.fromString("rwxr-xr-x"));
        // Recipe files first, so an applet link never replaces one of ssilab's own tools.
        List<Path> recipeFiles;
        try (Stream<Path> s = Files.walk(recipe)) {
            recipeFiles = s.sorted().toList();
        }
        for (Path src : recipeFiles) {
            Path dst = stage.resolve(recipe.relativize(src).toString());
            if (Files.isDirectory(src)) {
                Files.createDirectories(dst);
            } else {
                Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                boolean exec = executable(recipe.relativize(src).toString().replace('\\', '/'), src);
                Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        for (String applet : applets(busybox)) {
            Path link = stage.resolve(applet);
            if (applet.equals("bin/busybox") || Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of("/bin/busybox"));
        }
        Files.setPosixFilePermissions(stage.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** Whether a file of content/rootfs is a program (a checkout may have lost its x bit). */
    static boolean executable(String rel, Path src) {
        return Files.isExecutable(src) || rel.startsWith("opt/ssi/bin/") || rel.equals("sbin/init") || rel.startsWith("usr/bin/");
    }

    /** busybox --list-full: "bin/ls", "sbin/ip", ... sorted. */
    static List<String> applets(Path busybox) {
        HostCommand.Result r = HostCommand.run(List.of(busybox.toString(), "--list-full"), null, 30);
        if (!r.ok()) {
            throw new UserError(busybox + " --list-full failed: " + r.output().strip());
        }
        return new ArrayList<>(new TreeSet<>(r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()));
    }

    /** Same mtime and atime on every file and folder, deepest first so setting a child's time is not undone. */
    private static void fixTimes(Path stage) throws IOException {
        FileTime t = FileTime.fromMillis(FIXED_EPOCH * 1000);
        List<Path> all;
        try (Stream<Path> s = Files.walk(stage)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            if (Files.isSymbolicLink(p)) {
                HostCommand.run(List.of("touch", "-h", "-d", "@" + FIXED_EPOCH, p.toString()), null, 10);
            } else {
                // mkfs.ext4 -d copies atime too, and reading a file moves it
                Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class).setTimes(t, t, null);
            }
        }
    }

    /**
     * Debian's busybox-static binary: /bin/busybox when it is the static build, else the one inside the
     * busybox-static .deb fetched with {@code apt-get download} (no root needed).
     */
    static Path findStaticBusybox(Path tmp, Consumer<String> progress) {
        Map<String, String> env = new HashMap<>(System.getenv());
        String override = env.get("SSILAB_BUSYBOX");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!isStaticElf(p)) {
                throw new UserError("SSILAB_BUSYBOX=" + p + " is not a statically linked program: point it at busybox-static's binary");
            }
            return p;
        }
        for (String candidate : List.of("/bin/busybox", "/usr/bin/busybox")) {
            Path p = Path.of(candidate);
            if (isStaticElf(p)) {
                return p;
            }
        }
        progress.accept("No static busybox installed: fetching Debian's busybox-static with apt-get download ...");
        HostCommand.Result r = HostCommand.run(List.of("apt-get", "-q", "download", "busybox-static"), tmp, 300);
        try (Stream<Path> s = Files.list(tmp)) {
            Path deb = s.filter(f -> f.getFileName().toString().startsWith("busybox-static_")).findFirst()
                    .orElseThrow(() -> new UserError("no static busybox here and apt-get download busybox-static failed ("
                            + r.output().strip().lines().reduce((a, b) -> b).orElse("no output")
                            + "): install it with apt-get install -y busybox-static"));
            Path x = tmp.resolve("busybox-deb");
            HostCommand.Result ux = HostCommand.run(List.of("dpkg-deb", "-x", deb.toString(), x.toString()), null, 120);
            Path p = x.resolve("bin/busybox");
            if (!ux.ok() || !isStaticElf(p)) {
                throw new UserError("the busybox-static package did not give a static /bin/busybox: " + ux.output().strip());
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An x86-64 ELF executable without a PT_INTERP program header (so it needs no loader or libc). */
    static boolean isStaticElf(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] ident = new byte[16];
            f.readFully(ident);
            if (ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F' || ident[4] != 2) {
                return false;
            }
            f.seek(32);
            long phoff = Long.reverseBytes(f.readLong());
            f.seek(54);
            int phentsize = Short.toUnsignedInt(Short.reverseBytes(f.readShort()));
            int phnum = Short.toUnsignedInt(Short.reverseBytes(f.readShort()));
            for (int i = 0; i < phnum; i++) {
                f.seek(phoff + (long) i * phentsize);
                if (Integer.reverseBytes(f.readInt()) == 3) { // PT_INTERP
                    return false;
                }
            }
            return phnum > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
