package dev.ssilab.cluster.uml;

import dev.ssilab.state.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a UML kernel from Debian unstable's newest {@code linux-source-7.x} with ssilab's patches
 * ({@code content/kernel/patches/*.patch}, applied in name order with {@code patch -p1}) and config
 * fragment, caches the stripped binary in the {@link KernelStore} and deletes the source tree. The
 * cache key holds a hash of the fragment and the patches, so changing either builds a new kernel.
 */
public final class KernelInstaller {
    /** The source tree and the build need about 3 GB; below this we refuse before downloading anything. */
    static final long NEEDED_BYTES = 3L * 1024 * 1024 * 1024;
    static final List<String> BUILD_TOOLS = List.of("make", "gcc", "flex", "bison", "bc", "strip", "dpkg-deb", "tar", "xz", "patch");

    private final KernelStore store;
    private final Path fragment;
    private final Supplier<String> mirror;
    private final Consumer<String> progress;

    /**
     * @param fragment content/kernel/ssilab.config
     * @param mirror the Debian archive URL (see {@link PrivateApt#machineMirror}), asked only when Debian is
     *     contacted
     */
    public KernelInstaller(KernelStore store, Path fragment, Supplier<String> mirror, Consumer<String> progress) {
        this.store = store;
        this.fragment = fragment;
        this.mirror = mirror;
        this.progress = progress;
    }

    /** The mirror this machine uses for Debian (or SSILAB_DEBIAN_MIRROR). */
    public static String machineMirror() {
        return PrivateApt.machineMirror(System.getenv(), Path.of("/etc/apt"));
    }

    /** Builds (or finds in the cache) the kernel and makes it current; returns its path. */
    public Path install(boolean rebuild) {
        Map<String, Boolean> wanted = readFragment(fragment);
        checkTools();
        return underCacheLock("another 'ssilab kernel install' is running on " + store.root() + ": wait for it to finish",
                () -> installLocked(rebuild, wanted));
    }

    private <T> T underCacheLock(String busy, java.util.function.Supplier<T> work) {
        return CacheLock.holding(store.root(), busy, work);
    }

    /** A kernel source and how it was had ("from the cache", "downloaded"), for {@code ssilab kernel source}. */
    public record SourceResult(KernelSource.Cached source, String how) {}

    /**
     * The source tarball for building a kernel by hand: the cached one (no network), else, or with
     * {@code refresh}, Debian unstable's newest, downloaded once into the cache. Offline with a cached
     * source, that one.
     */
    public SourceResult source(boolean refresh) {
        KernelSource sources = new KernelSource(store.root(), progress);
        Optional<KernelSource.Cached> kept = sources.newest();
        if (kept.isPresent() && !refresh) {
            return new SourceResult(kept.get(), "from ssilab's cache " + kept.get().tarball().getParent() + " (no download)");
        }
        checkTools();
        return underCacheLock("'ssilab kernel install' is running on " + store.root()
                + " and may be downloading the source: wait for it to finish, then run this again", () -> {
            PrivateApt apt = new PrivateApt(store.root().resolve("apt"));
            try {
                progress.accept("Reading Debian unstable's package lists (private apt configuration) ...");
                apt.update(mirror.get());
            } catch (UserError e) {
                if (kept.isPresent()) {
                    return new SourceResult(kept.get(), "from ssilab's cache (Debian could not be reached: " + e.getMessage() + ")");
                }
                throw e;
            }
            String pkg = newestSource(apt.packagesNamed("^linux-source-7\\.[0-9]+$"));
            String version = apt.version(pkg);
            boolean had = sources.cached(version).isPresent();
            KernelSource.Cached got = sources.obtain(apt, pkg, version);
            return new SourceResult(got, had ? "from ssilab's cache (the newest in Debian unstable)"
                    : "downloaded from Debian unstable and kept in " + got.tarball().getParent());
        });
    }

    private Path installLocked(boolean rebuild, Map<String, Boolean> wanted) {
        Path work = store.root().resolve("build");
        checkFreeSpace(store.root());
        long start = System.nanoTime();
        deleteTree(work);
        try {
            Files.createDirectories(work);
            PrivateApt apt = new PrivateApt(store.root().resolve("apt"));
            KernelSource sources = new KernelSource(store.root(), progress);
            progress.accept("Reading Debian unstable's package lists (private apt configuration) ...");
            KernelSource.Cached source;
            try {
                apt.update(mirror.get());
                String pkg = newestSource(apt.packagesNamed("^linux-source-7\\.[0-9]+$"));
                String version = apt.version(pkg);
                Path built = store.kernelFor(version + "-" + configHash());
                if (!rebuild && KernelStore.release(built).isPresent()) {
                    store.makeCurrent(version + "-" + configHash());
                    progress.accept("Kernel " + version + " with this config is already built: " + built);
                    return built;
                }
                source = sources.obtain(apt, pkg, version);
            } catch (UserError e) {
                // Offline: build from the source kept by an earlier download, if there is one ...
                Optional<KernelSource.Cached> kept = sources.newest();
                if (kept.isEmpty()) {
                    // ... else keep a working kernel rather than fail
                    if (!rebuild && store.current().flatMap(KernelStore::release).isPresent()) {
                        progress.accept("Could not check Debian for a newer source (" + e.getMessage() + "); keeping "
                                + store.current().get());
                        return store.current().get();
                    }
                    throw e;
                }
                source = kept.get();
                String key = source.debianVersion() + "-" + configHash();
                if (!rebuild && KernelStore.release(store.kernelFor(key)).isPresent()) {
                    store.makeCurrent(key);
                    progress.accept("Could not reach Debian (" + e.getMessage() + "); the kernel of the cached source "
                            + source.debianVersion() + " with this config is built: " + store.kernelFor(key));
                    return store.kernelFor(key);
                }
                progress.accept("Could not reach Debian (" + e.getMessage() + "); building from the cached source "
                        + source.tarball());
            }
            String version = source.debianVersion();
            String key = version + "-" + configHash();
            Path target = store.kernelFor(key);
            progress.accept("Unpacking " + source.tarball().getFileName() + " ...");
            Path tree = unpack(source.tarball(), work);
            Path log = store.root().resolve("build.log");
            Files.deleteIfExists(log);
            applyPatches(tree, log);
            progress.accept("Configuring (defconfig + " + fragment.getFileName() + ") ...");
            configure(tree, wanted, log);
            checkPatches(tree, log);
            int jobs = Runtime.getRuntime().availableProcessors();
            progress.accept("Compiling with make ARCH=um -j" + jobs + " linux (about 4 minutes on 2 cores) ...");
            compile(tree, jobs, log, sources.objects(source.upstream()));
            sources.recordObjects(source.upstream(), KernelSource.countObjects(tree));
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling("linux.tmp");
            mustSucceed(HostCommand.run(List.of("strip", "-o", tmp.toString(), tree.resolve("linux").toString()), null, 120),
                    "strip");
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.copy(tree.resolve(".config"), target.resolveSibling("config"), StandardCopyOption.REPLACE_EXISTING);
            String release = KernelStore.release(target).orElseThrow(() ->
                    new UserError("the kernel built at " + target + " does not run here (" + target + " --version failed)"));
            store.makeCurrent(key);
            long secs = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            progress.accept(String.format("Installed UML kernel %s (%.1f MB) at %s in %dm%02ds",
                    release, Files.size(target) / 1e6, target, secs / 60, secs % 60));
            return target;
        } catch (IOException e) {
            throw new UserError("kernel build failed: " + e.getMessage() + " (log: " + store.root().resolve("build.log") + ")");
        } finally {
            // 3 GB of sources are not worth keeping after a failure either; the log is kept beside them.
            deleteTree(work);
        }
    }

    /** "linux-source-7.2" and "linux-source-7.10": the highest minor wins. */
    static String newestSource(List<String> names) {
        return names.stream()
                .filter(n -> n.matches("linux-source-7\\.\\d+"))
                .max(Comparator.comparingInt(n -> Integer.parseInt(n.substring(n.indexOf('.') + 1))))
                .orElseThrow(() -> new UserError("Debian unstable offers no linux-source-7.x package "
                        + "(apt-cache search found none): try again later or set SSILAB_DEBIAN_MIRROR"));
    }

    /** The fragment's lines: option name -> wanted on (true) or off (false). */
    static Map<String, Boolean> readFragment(Path fragment) {
        Map<String, Boolean> wanted = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(fragment);
        } catch (IOException e) {
            throw new UserError("kernel config fragment not found: " + fragment + " (is SSILAB_HOME right?)");
        }
        Pattern on = Pattern.compile("^CONFIG_(\\w+)=y$");
        Pattern off = Pattern.compile("^# CONFIG_(\\w+) is not set$");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            Matcher m;
            if ((m = on.matcher(line)).matches()) {
                wanted.put(m.group(1), true);
            } else if ((m = off.matcher(line)).matches()) {
                wanted.put(m.group(1), false);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                throw new UserError(fragment + ":" + (i + 1) + ": expected CONFIG_X=y or '# CONFIG_X is not set', got '" + line + "'");
            }
        }
        return wanted;
    }

    /** content/kernel/patches/*.patch, in the order they are applied (by name). */
    List<Path> patches() {
        Path dir = fragment.resolveSibling("patches");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".patch")).sorted().toList();
        } catch (IOException e) {
            throw new UserError("cannot list the kernel patches in " + dir + ": " + e.getMessage());
        }
    }

    /** The fragment's and the patches' hash: part of the cache key, so a change of either rebuilds. */
    public String configHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(fragment));
            // (with no patches, the hash is the fragment's alone, as before patches existed)
            for (Path patch : patches()) {
                sha.update(("\0patch " + patch.getFileName() + "\0").getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(patch));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkTools() {
        List<String> missing = new ArrayList<>(BUILD_TOOLS.stream().filter(t -> !HostCommand.onPath(t)).toList());
        if (!Files.isRegularFile(Path.of("/usr/include/libelf.h")) && !Files.isRegularFile(Path.of("/usr/include/gelf.h"))) {
            missing.add("libelf headers");
        }
        if (!missing.isEmpty()) {
            throw new UserError("missing build tools: " + String.join(", ", missing)
                    + " (install them: apt-get install -y flex bison libelf-dev bc build-essential xz-utils)");
        }
    }

    static void checkFreeSpace(Path dir) {
        try {
            FileStore fs = Files.getFileStore(dir);
            long free = fs.getUsableSpace();
            if (free < NEEDED_BYTES) {
                throw new UserError(String.format("not enough disk space to build the kernel: %s has %.1f GB free, "
                        + "the build needs about 3 GB (free some space, or point XDG_CACHE_HOME at a larger disk)",
                        dir, free / 1e9));
            }
        } catch (IOException e) {
            throw new UserError("cannot check free space in " + dir + ": " + e.getMessage());
        }
    }

    private static Path unpack(Path tarball, Path work) throws IOException {
        mustSucceed(HostCommand.run(List.of("tar", "-xf", tarball.toString(), "-C", work.toString()), null, 900), "tar -x");
        String dirName = tarball.getFileName().toString().replaceAll("\\.tar\\.\\w+$", "");
        Path tree = work.resolve(dirName);
        if (!Files.isRegularFile(tree.resolve("Makefile"))) {
            throw new UserError("unpacked source has no Makefile at " + tree);
        }
        return tree;
    }

    private void configure(Path tree, Map<String, Boolean> wanted, Path log) throws IOException {
        make(tree, log, 600, "ARCH=um", "defconfig");
        List<String> argv = new ArrayList<>(List.of(tree.resolve("scripts/config").toString(), "--file", tree.resolve(".config").toString()));
        wanted.forEach((name, on) -> argv.addAll(List.of(on ? "-e" : "-d", name)));
        if (HostCommand.runLogged(argv, tree, log, 60) != 0) {
            throw new UserError("scripts/config failed (log: " + log + ")");
        }
        make(tree, log, 600, "ARCH=um", "olddefconfig");
        String config = Files.readString(tree.resolve(".config"));
        List<String> unmet = new ArrayList<>();
        wanted.forEach((name, on) -> {
            boolean isOn = config.contains("\nCONFIG_" + name + "=y\n");
            if (isOn != on) {
                unmet.add(name + (on ? " (wanted on)" : " (wanted off)"));
            }
        });
        if (!unmet.isEmpty()) {
            throw new UserError("kernel config does not hold after olddefconfig: " + String.join(", ", unmet)
                    + " (fix " + fragment + ")");
        }
    }

    private void applyPatches(Path tree, Path log) {
        for (Path patch : patches()) {
            progress.accept("Applying " + patch.getFileName() + " ...");
            List<String> argv = List.of("patch", "-p1", "--forward", "--batch", "-i", patch.toString());
            if (HostCommand.runLogged(argv, tree, log, 120) != 0) {
                throw new UserError("the kernel patch " + patch + " does not apply to this source (log: " + log
                        + "): the source changed; update the patch, or remove it to build without it");
            }
        }
    }

    /**
     * Every patch is still in the tree after configuration, as every fragment line is in .config: a
     * reverse dry run of each succeeds only when all its changes are there.
     */
    private void checkPatches(Path tree, Path log) {
        for (Path patch : patches()) {
            List<String> argv = List.of("patch", "-p1", "--reverse", "--dry-run", "--batch", "--force", "-i", patch.toString());
            if (HostCommand.runLogged(argv, tree, log, 120) != 0) {
                throw new UserError("the kernel patch " + patch.getFileName() + " is not in the configured source (log: "
                        + log + ")");
            }
        }
    }

    /** make ARCH=um -jN linux, with a progress line every 20 s (objects built so far, of how many, time spent). */
    private void compile(Path tree, int jobs, Path log, java.util.OptionalLong objects) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("make", "ARCH=um", "-j" + jobs, "linux")
                .directory(tree.toFile()).redirectErrorStream(true);
        Process p = HostCommand.start(pb, pb.command());
        long start = System.nanoTime();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            KernelBuildProgress counter = new KernelBuildProgress(KernelBuildProgress.objectsIn(tree), objects);
            long lastReport = start;
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                counter.accept(line);
                long now = System.nanoTime();
                if (now - lastReport > TimeUnit.SECONDS.toNanos(20)) {
                    lastReport = now;
                    progress.accept("  ... " + counter.status(now - start));
                }
            }
            if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new UserError("kernel compilation failed (last lines in " + log + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while compiling the kernel");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static void make(Path tree, Path log, long timeoutSeconds, String... args) {
        List<String> argv = new ArrayList<>(List.of("make"));
        argv.addAll(List.of(args));
        if (HostCommand.runLogged(argv, tree, log, timeoutSeconds) != 0) {
            throw new UserError(String.join(" ", argv) + " failed (log: " + log + ")");
        }
    }

    static void mustSucceed(HostCommand.Result r, String what) {
        if (!r.ok()) {
            throw new UserError(what + " failed: " + r.output().strip().lines().reduce((a, b) -> b).orElse("no output"));
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        // rm -rf is much faster than walking 80k files from Java, and the tree is ours alone.
        HostCommand.run(List.of("rm", "-rf", "--one-file-system", dir.toString()), null, 600);
    }
}
