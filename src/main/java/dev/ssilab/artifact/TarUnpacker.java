package dev.ssilab.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a tar stream safely: everything goes into a hidden staging folder inside the target first,
 * every entry is checked on the way (no {@code ..}, no absolute names, no link pointing outside, no
 * writing through a link), and only a complete, clean archive is moved into place. A refused entry or
 * an interruption leaves the target as it was.
 */
final class TarUnpacker {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private record DirAttrs(Path dir, int mode, FileTime mtime) {}

    private final TempFiles temps;
    private final String archiveName;
    private int files;
    private long bytes;

    TarUnpacker(TempFiles temps, String archiveName) {
        this.temps = temps;
        this.archiveName = archiveName;
    }

    /** Unpacks into a fresh staging folder in {@code target}; returns it (the caller then {@link #moveInto}s). */
    Path stage(InputStream tarStream, Path target) throws IOException {
        files = 0;
        bytes = 0;
        Path staging = temps.register(createStaging(target));
        List<DirAttrs> dirs = new ArrayList<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(new SourceStream(tarStream));
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            if (temps.stopping()) {
                throw new java.io.InterruptedIOException("stopped");
            }
            String name = e.getName();
            Path rel = safeRelative(name, "entry '" + name + "'", target);
            if (rel == null) {
                continue; // "./" itself
            }
            Path dest = staging.resolve(rel);
            checkNoLinkOnTheWay(staging, rel, name, target);
            try {
                // Asked first: commons-compress counts any entry that is not a folder as a file, so a
                // device node or FIFO would otherwise be unpacked as an empty file, without a word.
                if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    throw refuse("entry '" + name + "' is a device or FIFO, which ssilab does not unpack", target);
                }
                if (e.isDirectory()) {
                    Files.createDirectories(dest);
                    dirs.add(new DirAttrs(dest, e.getMode(), FileTime.from(e.getModTime().toInstant())));
                } else if (e.isSymbolicLink()) {
                    String link = e.getLinkName();
                    if (link.startsWith("/")) {
                        throw refuse("entry '" + name + "' is a symlink to the absolute path '" + link + "'", target);
                    }
                    Path parent = rel.getParent() == null ? Path.of("") : rel.getParent();
                    Path resolved = parent.resolve(link).normalize();
                    if (resolved.startsWith("..") || link.isEmpty()) {
                        throw refuse("entry '" + name + "' is a symlink to '" + link + "', outside " + target, target);
                    }
                    Files.createDirectories(dest.getParent());
                    Files.deleteIfExists(dest);
                    Files.createSymbolicLink(dest, Path.of(link));
                } else if (e.isLink()) {
                    Path linkRel = safeRelative(e.getLinkName(), "hard link '" + name + "' to '" + e.getLinkName() + "'", target);
                    Path existing = linkRel == null ? null : staging.resolve(linkRel);
                    if (existing == null || !Files.isRegularFile(existing, NOFOLLOW)) {
                        throw refuse("entry '" + name + "' is a hard link to '" + e.getLinkName()
                                + "', which is not a file earlier in the archive", target);
                    }
                    Files.createDirectories(dest.getParent());
                    Files.deleteIfExists(dest);
                    Files.createLink(dest, existing);
                } else if (e.isFile()) {
                    Files.createDirectories(dest.getParent());
                    Files.deleteIfExists(dest);
                    try (OutputStream out = Files.newOutputStream(dest)) {
                        bytes += copyEntry(tar, out, dest);
                    }
                    Files.setPosixFilePermissions(dest, permissions(e.getMode()));
                    Files.setLastModifiedTime(dest, FileTime.from(e.getModTime().toInstant()));
                    files++;
                } else {
                    throw refuse("entry '" + name + "' is of a kind ssilab does not unpack (tar type '" + (char) e.getLinkFlag() + "')", target);
                }
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException x) {
                throw refuse("entry '" + name + "' clashes with an earlier entry of another kind", target);
            } catch (SourceException x) {
                throw x;
            } catch (IOException x) {
                throw WriteFailure.of(dest, x);
            }
        }
        // A chain of individually harmless links can still lead out, even one that dangles (a link to a
        // link to a name that does not exist yet): resolve every link step by step, as the kernel would.
        Path realStaging = staging.toRealPath();
        try (Stream<Path> all = Files.walk(staging)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p) && leadsOutside(realStaging, realStaging.resolve(staging.relativize(p)))) {
                    throw refuse("entry '" + staging.relativize(p) + "' is a symlink that leads outside " + target, target);
                }
            }
        }
        for (int i = dirs.size() - 1; i >= 0; i--) {
            DirAttrs d = dirs.get(i);
            Files.setPosixFilePermissions(d.dir(), permissions(d.mode() | 0700));
            Files.setLastModifiedTime(d.dir(), d.mtime());
        }
        return staging;
    }

    int files() {
        return files;
    }

    long bytes() {
        return bytes;
    }

    /** Moves the staged tree into {@code target}, merging with folders already there; returns top-level names. */
    List<String> moveInto(Path staging, Path target) throws IOException {
        checkNothingOfYoursInTheWay(staging, target);
        List<String> top = new ArrayList<>();
        try (Stream<Path> children = Files.list(staging)) {
            for (Path c : children.sorted().toList()) {
                top.add(c.getFileName().toString());
                merge(c, target.resolve(c.getFileName().toString()));
            }
        }
        return top;
    }

    /**
     * Before anything moves: the archive may only add to the target. A symlink already there is never
     * written through nor replaced (unless it is the same link), and a file of the learner is never
     * overwritten unless its content is identical (extracting the same archive twice is fine).
     */
    private void checkNothingOfYoursInTheWay(Path staging, Path target) throws IOException {
        try (Stream<Path> all = Files.walk(staging)) {
            for (Path src : (Iterable<Path>) all::iterator) {
                if (src.equals(staging)) {
                    continue;
                }
                Path rel = staging.relativize(src);
                Path dst = target.resolve(rel.toString());
                if (!Files.exists(dst, NOFOLLOW)) {
                    continue;
                }
                String what = "cannot unpack " + archiveName + ": ";
                String todo = "; remove it or extract elsewhere with -C DIR (nothing was extracted)";
                if (Files.isSymbolicLink(dst)) {
                    if (Files.isSymbolicLink(src) && Files.readSymbolicLink(src).equals(Files.readSymbolicLink(dst))) {
                        continue;
                    }
                    throw new ArtifactException(what + dst + " is a symlink (to " + Files.readSymbolicLink(dst)
                            + ") where the archive has " + rel + "; ssilab never writes through or replaces it" + todo);
                }
                if (Files.isDirectory(dst, NOFOLLOW)) {
                    if (!Files.isDirectory(src, NOFOLLOW)) {
                        throw new ArtifactException(what + dst + " is a folder and the archive has a file there" + todo);
                    }
                    continue;
                }
                if (!Files.isRegularFile(dst, NOFOLLOW) || !Files.isRegularFile(src, NOFOLLOW)
                        || Files.mismatch(src, dst) != -1) {
                    throw new ArtifactException(what + "it would overwrite " + dst
                            + ", which is already there with different content" + todo);
                }
            }
        }
    }

    private void merge(Path src, Path dst) throws IOException {
        if (Files.isDirectory(src, NOFOLLOW) && Files.isDirectory(dst, NOFOLLOW)) {
            try (Stream<Path> children = Files.list(src)) {
                for (Path c : children.sorted().toList()) {
                    merge(c, dst.resolve(c.getFileName().toString()));
                }
            }
            Files.delete(src);
            return;
        }
        if (Files.isDirectory(dst, NOFOLLOW)) {
            throw new ArtifactException("cannot unpack " + archiveName + ": " + dst
                    + " is a folder and the archive has a file there; move it away and run again");
        }
        Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
    }

    private long copyEntry(InputStream in, OutputStream out, Path dest) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        for (int k; (k = in.read(buf)) > 0; ) {
            try {
                out.write(buf, 0, k);
            } catch (IOException e) {
                throw WriteFailure.of(dest, e);
            }
            n += k;
        }
        return n;
    }

    /**
     * Whether following {@code link} (inside {@code root}) ever steps out of {@code root}: each name is
     * taken in turn, links inside are followed, names that do not exist yet are taken as they are.
     */
    static boolean leadsOutside(Path root, Path link) throws IOException {
        java.util.Deque<String> todo = new java.util.ArrayDeque<>();
        for (Path n : root.relativize(link)) {
            todo.addLast(n.toString());
        }
        Path cur = root;
        int hops = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                cur = cur.getParent();
                if (cur == null || !cur.startsWith(root)) {
                    return true;
                }
                continue;
            }
            Path next = cur.resolve(c);
            if (Files.isSymbolicLink(next)) {
                if (++hops > 40) {
                    return false; // a loop: the kernel gives up too (ELOOP), nothing is reached
                }
                String to = Files.readSymbolicLink(next).toString();
                if (to.startsWith("/")) {
                    return true;
                }
                String[] parts = to.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.addFirst(parts[i]);
                }
            } else {
                cur = next;
            }
        }
        return !cur.startsWith(root);
    }

    private void checkNoLinkOnTheWay(Path staging, Path rel, String name, Path target) {
        Path p = staging;
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            p = p.resolve(rel.getName(i));
            if (Files.isSymbolicLink(p)) {
                throw refuse("entry '" + name + "' would be written through the symlink '"
                        + staging.relativize(p) + "'", target);
            }
        }
    }

    /** The entry name as a safe relative path, or null for the archive root itself. */
    private Path safeRelative(String name, String what, Path target) {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw refuse(what + " has an empty or invalid name", target);
        }
        if (name.startsWith("/")) {
            throw refuse(what + " has an absolute path", target);
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw refuse(what + " would be written outside " + target, target);
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? null : Path.of(String.join("/", parts));
    }

    private ArtifactException refuse(String why, Path target) {
        return new ArtifactException("refusing to extract " + archiveName + ": " + why
                + "; nothing was extracted (the archive is unsafe: get it from a trusted mirror)");
    }

    private static Path createStaging(Path target) {
        try {
            return Files.createTempDirectory(target, ".ssilab-extract-");
        } catch (IOException e) {
            throw WriteFailure.of(target, e);
        }
    }

    /** A read failure of the archive itself (as opposed to a failure writing the files it holds). */
    static final class SourceException extends IOException {
        SourceException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Marks the archive's own read failures so they are not mistaken for write failures. */
    private static final class SourceStream extends java.io.FilterInputStream {
        SourceStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (SourceException e) {
                throw e;
            } catch (IOException e) {
                throw new SourceException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (SourceException e) {
                throw e;
            } catch (IOException e) {
                throw new SourceException(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                throw new SourceException(e);
            }
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }
}
