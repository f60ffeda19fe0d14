package dev.ssilab.cluster.uml;

import dev.ssilab.state.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds CRIU, the checkpoint/restore tool that moves a process between real nodes, for UML: Debian
 * unstable's CRIU source (the upstream tarball, checked against Debian's index) with ssilab's patches
 * ({@code content/criu/*.patch}), {@code make criu} without the optional GnuTLS and nftables parts,
 * then a bundle of the binary and the libraries it needs, cached in the {@link CriuStore}.
 *
 * <p>Why a build: no CRIU binary runs on UML. Debian 12's 3.17 stops at UML's missing hugetlbfs, and
 * every CRIU before the patch takes the task size of a native kernel and asks ptrace for a thread area
 * that UML does not have (the patch says more). Why not part of the root image: the image is built
 * without a compiler or the network and must stay reproducible; CRIU is built once per machine, and
 * each cluster's root gets a copy when the cluster starts.
 */
public final class CriuInstaller {
    static final String PACKAGE = "criu";
    /** Raised when the bundle's making changes, so older bundles are rebuilt. */
    private static final String RECIPE = "bundle-2";
    /** ssilab's own C tool in the bundle, from content/criu/ssi-pty.c: see its comment. */
    static final String TERMINAL_TOOL = "ssi-pty";
    /** Where the binary looks for its loader and libraries inside a node. */
    private static final String NODE_LIB = "/" + CriuStore.IN_ROOT + "/lib";
    static final List<String> BUILD_TOOLS = List.of("make", "gcc", "pkg-config", "protoc", "protoc-c", "patch", "tar", "xz", "strip");
    /** Headers of the libraries CRIU links, and the Debian package of each. */
    static final Map<String, String> HEADERS = Map.of(
            "/usr/include/protobuf-c/protobuf-c.h", "libprotobuf-c-dev",
            "/usr/include/libnl3/netlink/netlink.h", "libnl-3-dev",
            "/usr/include/libnet.h", "libnet1-dev",
            "/usr/include/sys/capability.h", "libcap-dev",
            "/usr/include/uuid/uuid.h", "uuid-dev",
            "/usr/include/bsd/string.h", "libbsd-dev");
    static final String PACKAGES = "protobuf-c-compiler libprotobuf-c-dev libprotobuf-dev protobuf-compiler libnl-3-dev"
            + " libnet1-dev libcap-dev pkg-config uuid-dev libbsd-dev build-essential xz-utils patch";

    private final CriuStore store;
    private final Path patchDir;
    private final Supplier<String> mirror;
    private final Consumer<String> progress;

    /** @param patchDir content/criu, whose *.patch files are applied in name order */
    public CriuInstaller(CriuStore store, Path patchDir, Supplier<String> mirror, Consumer<String> progress) {
        this.store = store;
        this.patchDir = patchDir;
        this.mirror = mirror;
        this.progress = progress;
    }

    /** Builds (or finds in the cache) CRIU for UML and makes it current; returns the bundle folder. */
    public Path install(boolean rebuild) {
        checkTools();
        return CacheLock.holding(store.root(), "another 'ssilab criu install' is running on " + store.root()
                + ": wait for it to finish", () -> installLocked(rebuild));
    }

    private Path installLocked(boolean rebuild) {
        long start = System.nanoTime();
        Path work = store.root().resolve("build");
        KernelInstaller.deleteTree(work);
        Path log = store.root().resolve("build.log");
        try {
            Files.createDirectories(work);
            Files.deleteIfExists(log);
            Path tarball = source(rebuild);
            String version = versionOf(tarball);
            String key = version + "-" + recipeHash();
            if (!rebuild && works(store.bundleFor(key))) {
                store.makeCurrent(key);
                store.removeOthers(key);
                progress.accept("CRIU " + version + " with these patches is already built: " + store.bundleFor(key));
                return store.bundleFor(key);
            }
            progress.accept("Unpacking " + tarball.getFileName() + " ...");
            KernelInstaller.mustSucceed(HostCommand.run(List.of("tar", "-xf", tarball.toString(), "-C", work.toString()), null, 300), "tar -x");
            Path tree = onlyFolderIn(work);
            for (Path patch : patches()) {
                progress.accept("Applying " + patch.getFileName() + " ...");
                if (HostCommand.runLogged(List.of("patch", "-p1", "--forward", "--batch", "-i", patch.toString()), tree, log, 60) != 0) {
                    throw new UserError("the CRIU patch " + patch + " does not apply to " + tarball.getFileName()
                            + " (log: " + log + "): update the patch for this CRIU version");
                }
            }
            int jobs = Runtime.getRuntime().availableProcessors();
            progress.accept("Compiling CRIU with make -j" + jobs + " criu (about a minute on 2 cores) ...");
            compile(tree, jobs, log);
            Path staged = store.root().resolve(key + ".tmp");
            KernelInstaller.deleteTree(staged);
            bundle(tree.resolve("criu/criu"), staged.resolve(CriuStore.IN_ROOT));
            progress.accept("Compiling ssi-pty (the terminal a migrated program keeps) ...");
            compileTool(patchDir.resolve(TERMINAL_TOOL + ".c"), staged.resolve(CriuStore.IN_ROOT).resolve("bin/" + TERMINAL_TOOL), log);
            Path target = store.root().resolve(key);
            KernelInstaller.deleteTree(target);
            Files.move(staged, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            if (!works(store.bundleFor(key))) {
                throw new UserError("the CRIU built at " + store.bundleFor(key) + " does not run (bin/criu --version failed)");
            }
            store.makeCurrent(key);
            store.removeOthers(key);
            long secs = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            progress.accept(String.format("Installed CRIU %s for UML (%.1f MB with its libraries) at %s in %dm%02ds",
                    version, sizeOf(store.bundleFor(key)) / 1e6, store.bundleFor(key), secs / 60, secs % 60));
            return store.bundleFor(key);
        } catch (IOException e) {
            throw new UserError("CRIU build failed: " + e.getMessage() + " (log: " + log + ")");
        } finally {
            KernelInstaller.deleteTree(work);
        }
    }

    /**
     * The upstream tarball: Debian unstable's newest, downloaded once into {@code criu/source/} and
     * checked against the index's SHA-256; offline, the one kept by an earlier download.
     */
    private Path source(boolean refresh) throws IOException {
        Path dir = store.root().resolve("source");
        Optional<Path> kept = keptTarball(dir);
        PrivateApt apt = new PrivateApt(store.root().resolve("apt"));
        PrivateApt.SourcePackage pkg;
        try {
            progress.accept("Reading Debian unstable's source index (private apt configuration) ...");
            apt.updateSources(mirror.get());
            pkg = apt.sourceFiles(PACKAGE);
        } catch (UserError e) {
            if (kept.isPresent()) {
                progress.accept("Could not reach Debian (" + e.getMessage() + "); using the kept source " + kept.get());
                return kept.get();
            }
            throw e;
        }
        String name = pkg.origTarball();
        Path tarball = dir.resolve(name);
        if (Files.isRegularFile(tarball) && sha256(tarball).equals(pkg.sha256().get(name)) && !refresh) {
            progress.accept("Using the kept source " + tarball + " (no download)");
            return tarball;
        }
        Path download = store.root().resolve(".download");
        KernelInstaller.deleteTree(download);
        Files.createDirectories(download);
        progress.accept("Downloading " + name + " (CRIU " + pkg.version() + ", about 1 MB) ...");
        Path got = apt.downloadSource(PACKAGE, pkg, download);
        String sha = sha256(got);
        if (!sha.equals(pkg.sha256().get(name))) {
            KernelInstaller.deleteTree(download);
            throw new UserError("the downloaded " + name + " does not match Debian's index (SHA-256 " + sha + "): try again later");
        }
        KernelInstaller.deleteTree(dir);
        Files.createDirectories(dir);
        Files.move(got, tarball, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        KernelInstaller.deleteTree(download);
        return tarball;
    }

    private static Optional<Path> keptTarball(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().matches("criu_.*\\.orig\\.tar\\.\\w+")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** 4.2.1 for criu_4.2.1.orig.tar.xz. */
    static String versionOf(Path tarball) {
        Matcher m = Pattern.compile("criu_(.+)\\.orig\\.tar\\.\\w+").matcher(tarball.getFileName().toString());
        if (!m.matches()) {
            throw new UserError("not a CRIU source tarball: " + tarball);
        }
        return m.group(1);
    }

    /** content/criu/*.patch, in the order they are applied. */
    List<Path> patches() {
        if (!Files.isDirectory(patchDir)) {
            throw new UserError("CRIU's patches are not found: " + patchDir + " (is SSILAB_HOME right?)");
        }
        try (Stream<Path> s = Files.list(patchDir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".patch")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hash of the patches, ssi-pty's source and the recipe: part of the cache key. */
    public String recipeHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(RECIPE.getBytes(StandardCharsets.UTF_8));
            List<Path> inputs = new ArrayList<>(patches());
            inputs.add(patchDir.resolve(TERMINAL_TOOL + ".c"));
            for (Path input : inputs) {
                sha.update(("\0" + input.getFileName() + "\0").getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(input));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * make criu, linked to find its loader and libraries in the node's /opt/criu/lib (GMONLDOPT is the
     * one variable CRIU's makefiles add to the final link only). An RPATH, not a RUNPATH: a RUNPATH
     * serves only the binary's own libraries, and libbsd's libmd was then not found. A progress line
     * every 20 s.
     */
    private void compile(Path tree, int jobs, Path log) throws IOException {
        List<String> argv = List.of("make", "-j" + jobs, "NO_GNUTLS=1", "criu",
                "GMONLDOPT=-Wl,--dynamic-linker=" + NODE_LIB + "/ld-linux-x86-64.so.2 -Wl,--disable-new-dtags,-rpath," + NODE_LIB);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(tree.toFile()).redirectErrorStream(true);
        // the optional nftables part needs kernel options the nodes do not have: keep it out even when
        // its library is installed here
        pb.environment().put("PKG_CONFIG_PATH", "");
        pb.environment().put("PKG_CONFIG_LIBDIR", "/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/share/pkgconfig");
        Process p = HostCommand.start(pb, argv);
        long start = System.nanoTime();
        int objects = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            long lastReport = start;
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                if (line.stripLeading().startsWith("CC ")) {
                    objects++;
                }
                long now = System.nanoTime();
                if (now - lastReport > TimeUnit.SECONDS.toNanos(20)) {
                    lastReport = now;
                    progress.accept(String.format("  ... %d files compiled, %ds", objects, TimeUnit.NANOSECONDS.toSeconds(now - start)));
                }
            }
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new UserError("CRIU's compilation failed (last lines in " + log + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while compiling CRIU");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (!Files.isRegularFile(tree.resolve("criu/criu"))) {
            throw new UserError("make criu left no criu/criu (log: " + log + ")");
        }
    }

    /**
     * bin/criu (stripped) and lib/ with every library the host's loader resolves for it, and the loader
     * itself, each under its soname: what the binary needs, whatever the node's root holds.
     */
    static void bundle(Path binary, Path into) throws IOException {
        Files.createDirectories(into.resolve("bin"));
        Files.createDirectories(into.resolve("lib"));
        KernelInstaller.mustSucceed(HostCommand.run(List.of("strip", "-o", into.resolve("bin/criu").toString(), binary.toString()), null, 120), "strip");
        Path loader = Path.of("/lib64/ld-linux-x86-64.so.2");
        HostCommand.Result list = HostCommand.run(List.of(loader.toString(), "--list", binary.toString()), null, 60);
        if (!list.ok()) {
            throw new UserError("cannot list the libraries of " + binary + ": " + list.output().strip());
        }
        Pattern lib = Pattern.compile("^\\s*(\\S+) => (/\\S+) \\(0x[0-9a-f]+\\)$");
        List<String> missing = new ArrayList<>();
        for (String line : list.output().split("\n")) {
            Matcher m = lib.matcher(line);
            // (the loader is listed under the path the binary names for it: copied below)
            if (m.matches() && !m.group(1).endsWith("/ld-linux-x86-64.so.2")) {
                Files.copy(Path.of(m.group(2)), into.resolve("lib").resolve(Path.of(m.group(1)).getFileName().toString()));
            } else if (line.contains("not found")) {
                missing.add(line.strip());
            }
        }
        if (!missing.isEmpty()) {
            throw new UserError("CRIU needs libraries this machine lacks: " + String.join(", ", missing));
        }
        Files.copy(loader, into.resolve("lib/ld-linux-x86-64.so.2"));
    }

    /** A static binary of one C file (it needs nothing from the node's root), stripped. */
    private static void compileTool(Path source, Path binary, Path log) {
        if (!Files.isRegularFile(source)) {
            throw new UserError("ssilab's source " + source + " is missing (is SSILAB_HOME right?)");
        }
        if (HostCommand.runLogged(List.of("gcc", "-O2", "-Wall", "-static", "-s", "-o", binary.toString(), source.toString()),
                null, log, 300) != 0) {
            throw new UserError("compiling " + source.getFileName() + " failed (log: " + log + "); is libc6-dev installed?");
        }
    }

    /** Whether the bundle's criu runs (here, through its own loader path: the host has no /opt/criu). */
    static boolean works(Path bundle) {
        Path criu = bundle.resolve("bin/criu");
        if (!Files.isExecutable(criu)) {
            return false;
        }
        HostCommand.Result r = HostCommand.run(List.of(bundle.resolve("lib/ld-linux-x86-64.so.2").toString(),
                "--library-path", bundle.resolve("lib").toString(), criu.toString(), "--version"), null, 20);
        return r.ok() && r.output().contains("Version:");
    }

    static void checkTools() {
        List<String> missing = new ArrayList<>(BUILD_TOOLS.stream().filter(t -> !HostCommand.onPath(t)).toList());
        HEADERS.forEach((header, pkg) -> {
            if (!Files.isRegularFile(Path.of(header))) {
                missing.add(pkg);
            }
        });
        if (!missing.isEmpty()) {
            throw new UserError("missing what CRIU's build needs: " + String.join(", ", missing.stream().sorted().toList())
                    + " (install them: apt-get install -y " + PACKAGES + ")");
        }
    }

    private static Path onlyFolderIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> dirs = s.filter(Files::isDirectory).toList();
            if (dirs.size() != 1 || !Files.isRegularFile(dirs.get(0).resolve("Makefile"))) {
                throw new UserError("the CRIU tarball did not unpack into one source folder in " + dir);
            }
            return dirs.get(0);
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (java.io.InputStream in = new java.security.DigestInputStream(Files.newInputStream(file), sha)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
