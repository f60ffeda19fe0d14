package dev.ssilab.cluster.uml;

import dev.ssilab.state.AtomicFiles;
import dev.ssilab.state.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Linux source tarball from Debian's {@code linux-source-7.x} package, kept in the kernel cache
 * ({@code KERNELS/source/DEBIAN_VERSION/linux-source-7.x.tar.xz}) so that it is downloaded once per
 * machine: by {@code ssilab kernel install}, or by the kernel lesson's {@code ssilab kernel source},
 * whichever comes first; offline, the cached one is used. Only the newest version is kept.
 */
public final class KernelSource {
    /** A cached source: Debian's package version (7.2.13-1) and the tarball. */
    public record Cached(String debianVersion, Path tarball) {
        /** The kernel's own version: 7.2.13 for Debian's 7.2.13-1. */
        public String upstream() {
            int dash = debianVersion.lastIndexOf('-');
            String v = dash > 0 ? debianVersion.substring(0, dash) : debianVersion;
            int colon = v.indexOf(':');
            return colon >= 0 ? v.substring(colon + 1) : v;
        }
    }

    private final Path dir;
    private final Consumer<String> progress;

    /** @param kernels the kernel cache, {@link KernelStore#root()} */
    public KernelSource(Path kernels, Consumer<String> progress) {
        this.dir = kernels.resolve("source");
        this.progress = progress;
    }

    public Path dir() {
        return dir;
    }

    /** The cached source of that Debian version, if its tarball is there. */
    public Optional<Cached> cached(String debianVersion) {
        return tarballIn(dir.resolve(debianVersion)).map(t -> new Cached(debianVersion, t));
    }

    /** The newest cached source (the last one stored), if any. */
    public Optional<Cached> newest() {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory)
                    .filter(d -> !d.getFileName().toString().startsWith("."))
                    .map(d -> tarballIn(d).map(t -> new Cached(d.getFileName().toString(), t)))
                    .flatMap(Optional::stream)
                    .max(Comparator.comparing(c -> modified(c.tarball())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The source of package {@code pkg} at {@code debianVersion}: the cached one, or downloaded with
     * {@code apt} (whose package lists are up to date), stored in the cache, older versions removed.
     */
    public Cached obtain(PrivateApt apt, String pkg, String debianVersion) {
        Optional<Cached> have = cached(debianVersion);
        if (have.isPresent()) {
            progress.accept("Using the cached source " + have.get().tarball() + " (no download)");
            return have.get();
        }
        Path tmp = dir.resolve(".download");
        KernelInstaller.deleteTree(tmp);
        try {
            Files.createDirectories(tmp);
            progress.accept("Downloading " + pkg + " " + debianVersion + " (about 160 MB) ...");
            Path deb = apt.download(pkg, tmp);
            Path x = tmp.resolve("x");
            HostCommand.Result r = HostCommand.run(List.of("dpkg-deb", "-x", deb.toString(), x.toString()), null, 600);
            if (!r.ok()) {
                throw new UserError("dpkg-deb -x " + deb.getFileName() + " failed: " + r.output().strip());
            }
            Path inside = tarballIn(x.resolve("usr/src"))
                    .orElseThrow(() -> new UserError("no source tarball inside " + deb.getFileName()));
            Path target = dir.resolve(debianVersion).resolve(inside.getFileName().toString());
            Files.createDirectories(target.getParent());
            Files.move(inside, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            pruneExcept(debianVersion);
            progress.accept("Kept the source in " + target + " for later builds");
            return new Cached(debianVersion, target);
        } catch (IOException e) {
            throw new UserError("cannot store the kernel source in " + dir + ": " + e.getMessage());
        } finally {
            KernelInstaller.deleteTree(tmp);
        }
    }

    /**
     * Puts the tarball in {@code folder} under its own name: a hard link when the cache is on the same
     * file system (no copy of 160 MB), else a copy. Returns the file made.
     */
    public static Path place(Cached source, Path folder) {
        Path out = folder.toAbsolutePath().normalize().resolve(source.tarball().getFileName().toString());
        if (!Files.isDirectory(out.getParent())) {
            throw new UserError("cannot put the kernel source in " + out.getParent() + ": no such folder");
        }
        try {
            if (Files.exists(out) && Files.isSameFile(out, source.tarball())) {
                return out;
            }
            Path tmp = out.resolveSibling("." + out.getFileName() + ".part");
            Files.deleteIfExists(tmp);
            try {
                Files.createLink(tmp, source.tarball());
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(source.tarball(), tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new UserError("cannot write " + out + ": " + e.getMessage());
        }
    }

    /** How many object files a full build of this kernel version with ssilab's config made, if one was recorded. */
    public OptionalLong objects(String upstream) {
        Optional<Cached> c = forUpstream(upstream);
        if (c.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(c.get().tarball().resolveSibling("objects")).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Records the object count of a finished build of this version (for the next build's progress). */
    public void recordObjects(String upstream, long count) {
        forUpstream(upstream).ifPresent(c -> AtomicFiles.writeString(c.tarball().resolveSibling("objects"), count + "\n"));
    }

    private Optional<Cached> forUpstream(String upstream) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(d -> cached(d.getFileName().toString())).flatMap(Optional::stream)
                    .filter(c -> c.upstream().equals(upstream)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Number of {@code *.o} files under a tree. */
    public static long countObjects(Path tree) {
        return KernelBuildProgress.objectsIn(tree).size();
    }

    private void pruneExcept(String keep) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path d : s.toList()) {
                String name = d.getFileName().toString();
                if (!name.equals(keep) && !name.startsWith(".") && Files.isDirectory(d)) {
                    KernelInstaller.deleteTree(d);
                }
            }
        }
    }

    private static Optional<Path> tarballIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("linux-source-.*\\.tar\\.(xz|bz2|gz)"))
                    .filter(Files::isRegularFile).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }
}
