package dev.ssilab.artifact;

import dev.ssilab.state.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Unpacks the course's archives: a lone {@code X.bz2}/{@code .gz}/{@code .xz} becomes {@code X}, a
 * tarball (plain or compressed) unpacks into a folder; output appears under its final name only when
 * complete (temp name, then rename), and an interruption leaves no half file behind.
 *
 * <p>Speed: bzip2 is decoded block-parallel on all cores ({@link ParallelBzip2InputStream}); if a file
 * cannot be split cleanly the same work is redone with the sequential decoder, which also gives the
 * error for a damaged file. gzip and xz are inherently sequential and are decoded on one thread.
 */
public final class Extractor {
    /** What an extraction produced. */
    public record Result(Path output, boolean tarball, List<String> topLevel, int files, long bytes) {}

    /**
     * Without {@code --max-size}, an archive may expand to this many times its own size, but always to
     * {@link #MIN_LIMIT}: far above any real course file (a root image compresses 5 to 50 times), far
     * below a bomb (bzip2 turns 785 bytes into 1 GB).
     */
    static final long MAX_RATIO = 1000;
    static final long MIN_LIMIT = 256L << 20;
    /** Extraction stops when the target's filesystem would have less than this left free. */
    static final long FREE_RESERVE = 16L << 20;

    private final Progress.Factory progress;
    private final int threads;
    private final long maxOutput;
    private final long minLimit;
    private final java.util.function.ToLongFunction<Path> freeSpace;

    public Extractor(Progress.Factory progress) {
        this(progress, Runtime.getRuntime().availableProcessors());
    }

    public Extractor(Progress.Factory progress, int threads) {
        this(progress, threads, 0);
    }

    /** {@code maxOutput}: the most bytes an archive may expand to ({@code --max-size}); 0 for the default rule. */
    public Extractor(Progress.Factory progress, int threads, long maxOutput) {
        this(progress, threads, maxOutput, MIN_LIMIT, Extractor::usableSpace);
    }

    Extractor(Progress.Factory progress, int threads, long maxOutput, long minLimit,
              java.util.function.ToLongFunction<Path> freeSpace) {
        this.progress = progress;
        this.threads = Math.max(1, threads);
        this.maxOutput = maxOutput;
        this.minLimit = minLimit;
        this.freeSpace = freeSpace;
    }

    private static long usableSpace(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // cannot tell: the write itself reports a full disk
        }
    }

    /** The output limit for {@code archive}. */
    private long limitFor(Path archive) {
        if (maxOutput > 0) {
            return maxOutput;
        }
        long size;
        try {
            size = Files.size(archive);
        } catch (IOException e) {
            size = 0;
        }
        return Math.max(minLimit, size > Long.MAX_VALUE / MAX_RATIO ? Long.MAX_VALUE : size * MAX_RATIO);
    }

    /**
     * {@code ssilab extract ARCHIVE [-C DIR] [-o FILE]}: a tarball unpacks into {@code dir}, else into
     * {@code cwd}; a lone compressed file becomes {@code output} if given, else its name without the
     * suffix in {@code dir}, else beside the archive (as bunzip2 does).
     */
    public Result extract(Path archive, Path dir, Path output, Path cwd) {
        ArchiveFormat format = formatOf(archive);
        if (format.tar()) {
            if (output != null) {
                throw new ArtifactException(archive + " is a tarball: it unpacks into a folder, so -o does not apply"
                        + " (use -C DIR)");
            }
            return unpack(archive, format, dir != null ? dir : cwd);
        }
        Path besideArchive = archive.toAbsolutePath().normalize().getParent();
        Path out = output != null ? cwd.resolve(output)
                : (dir != null ? dir : besideArchive)
                        .resolve(ArchiveFormat.decompressedName(archive.getFileName().toString(), format.compression()));
        // -o FILE replaces FILE as asked (like '>FILE'); the name ssilab picks itself never replaces anything of yours
        long n = decompress(archive, out, output != null);
        return new Result(out, false, List.of(out.getFileName().toString()), 1, n);
    }

    /** {@code bunzip2 -c X >Y} (and gzip/xz): decompresses {@code compressed} into {@code output}, atomically. */
    public long decompress(Path compressed, Path output) {
        return decompress(compressed, output, true);
    }

    /**
     * With {@code replace} false, an existing {@code output} is only replaced by identical content: a
     * symlink there or a file with other content is refused, and nothing changes.
     */
    private long decompress(Path compressed, Path output, boolean replace) {
        ArchiveFormat format = formatOf(compressed);
        if (format.compression() == ArchiveFormat.Compression.NONE) {
            throw new ArtifactException(compressed + " is not compressed (no bzip2, gzip or xz header)");
        }
        Path out = output.toAbsolutePath().normalize();
        if (!replace && Files.isSymbolicLink(out)) {
            throw new ArtifactException("cannot extract " + compressed.getFileName() + ": " + out + " is a symlink;"
                    + " ssilab never writes through it: remove it, or give -o FILE (nothing was extracted)");
        }
        if (Files.isDirectory(out)) {
            throw new ArtifactException("cannot write " + out + ": it is a folder (give a file name)");
        }
        if (Files.exists(out)) {
            try {
                out = out.toRealPath(); // through a symlink: replace the file it names, not the link
            } catch (IOException e) {
                throw WriteFailure.of(out, e);
            }
            if (!Files.isRegularFile(out)) {
                // a device or FIFO (like bunzip2 -c X >/dev/null): write into it, there is nothing to rename over
                try (OutputStream sink = Files.newOutputStream(out, StandardOpenOption.WRITE)) {
                    return decompressTo(compressed, sink, out.toString());
                } catch (IOException e) {
                    throw WriteFailure.of(out, e);
                }
            }
        }
        Path parent = out.getParent();
        try (TempFiles temps = new TempFiles()) {
            Path tmp;
            try {
                Files.createDirectories(parent);
                tmp = temps.register(Files.createTempFile(parent, "." + out.getFileName() + ".", ".part"));
            } catch (IOException e) {
                throw WriteFailure.of(parent, e);
            }
            long n;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream sink = Channels.newOutputStream(ch);
                n = withFallback(compressed, format, parent, in -> {
                    ch.truncate(0);
                    ch.position(0);
                    return copy(in, sink, tmp);
                });
                ch.force(true);
            } catch (IOException e) {
                throw WriteFailure.of(tmp, e);
            }
            if (temps.stopping()) {
                throw new ArtifactException("interrupted: " + out + " was not written");
            }
            if (!replace && Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                boolean same;
                try {
                    same = Files.isRegularFile(out, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.mismatch(tmp, out) == -1;
                } catch (IOException e) {
                    same = false;
                }
                if (!same) {
                    throw new ArtifactException("cannot extract " + compressed.getFileName() + ": " + out
                            + " is already there with different content; it was left as it was: remove it, or give"
                            + " -o FILE to write another file (or to replace it)");
                }
            }
            try {
                Files.setPosixFilePermissions(tmp, TarUnpacker.permissions(0644));
                AtomicFiles.moveAtomically(tmp, out);
                temps.release(tmp);
            } catch (IOException e) {
                throw WriteFailure.of(out, e);
            }
            return n;
        }
    }

    /**
     * Decompresses to a stream ({@code -o -}, a device); not atomic: the reader sees data as it comes.
     * {@code what} names the destination in errors.
     */
    public long decompressTo(Path compressed, OutputStream out, String what) {
        ArchiveFormat format = formatOf(compressed);
        if (format.compression() == ArchiveFormat.Compression.NONE) {
            throw new ArtifactException(compressed + " is not compressed (no bzip2, gzip or xz header)");
        }
        // Sequential: output already handed on cannot be taken back if a parallel attempt failed.
        try (InputStream in = guard(open(compressed, format.compression(), false), compressed, null)) {
            return copy(in, out, what);
        } catch (IOException e) {
            throw readFailure(compressed, e);
        }
    }

    private Result unpack(Path archive, ArchiveFormat format, Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw WriteFailure.of(target, e);
        }
        try (TempFiles temps = new TempFiles()) {
            TarUnpacker unpacker = new TarUnpacker(temps, archive.getFileName().toString());
            Path[] staging = new Path[1];
            withFallback(archive, format, target, in -> {
                if (staging[0] != null) {
                    TempFiles.deleteTree(staging[0]);
                }
                staging[0] = unpacker.stage(in, target);
                return unpacker.bytes();
            });
            if (temps.stopping()) {
                throw new ArtifactException("interrupted: nothing was extracted from " + archive);
            }
            try {
                List<String> top = unpacker.moveInto(staging[0], target);
                return new Result(target, true, top, unpacker.files(), unpacker.bytes());
            } catch (IOException e) {
                throw WriteFailure.of(target, e);
            }
        }
    }

    @FunctionalInterface
    private interface Work {
        long run(InputStream decompressed) throws IOException;
    }

    /** Runs {@code work} on the parallel bzip2 decoder, and again on the sequential one if that fails. */
    private long withFallback(Path archive, ArchiveFormat format, Path outDir, Work work) {
        boolean parallel = format.compression() == ArchiveFormat.Compression.BZIP2 && threads > 1;
        if (parallel) {
            try (InputStream in = guard(open(archive, format.compression(), true), archive, outDir)) {
                return work.run(in);
            } catch (IOException e) {
                // a false block cut, or a damaged file: the sequential decoder tells which
            }
        }
        try (InputStream in = guard(open(archive, format.compression(), false), archive, outDir)) {
            return work.run(in);
        } catch (IOException e) {
            throw readFailure(archive, e);
        }
    }

    private InputStream guard(InputStream decompressed, Path archive, Path outDir) {
        return new ExpansionGuard(decompressed, archive, limitFor(archive), outDir, freeSpace);
    }

    /** Parses {@code --max-size}: bytes, or with a K, M, G or T suffix (powers of 1024). */
    public static long parseSize(String text) {
        String t = text.strip().toUpperCase(java.util.Locale.ROOT);
        if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        int shift = 0;
        if (!t.isEmpty() && "KMGT".indexOf(t.charAt(t.length() - 1)) >= 0) {
            shift = 10 * ("KMGT".indexOf(t.charAt(t.length() - 1)) + 1);
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t);
            if (v > 0 && v <= (Long.MAX_VALUE >> shift)) {
                return v << shift;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ArtifactException("bad --max-size '" + text + "': give a size such as 2G, 500M or 1048576");
    }

    private InputStream open(Path file, ArchiveFormat.Compression c, boolean parallel) throws IOException {
        long size = Files.size(file);
        Progress p = progress.start(file.getFileName().toString(), size, 0);
        InputStream raw = new BufferedInputStream(new ProgressInputStream(Files.newInputStream(file), p), 1 << 16);
        return switch (c) {
            case NONE -> raw;
            case BZIP2 -> parallel ? new ParallelBzip2InputStream(raw, threads)
                    : new BZip2CompressorInputStream(raw, true);
            case GZIP -> new GzipCompressorInputStream(raw, true);
            case XZ -> new XZCompressorInputStream(raw, true);
        };
    }

    private static long copy(InputStream in, OutputStream out, Object dest) throws IOException {
        byte[] buf = new byte[1 << 17];
        long n = 0;
        for (int k; (k = in.read(buf)) > 0; ) {
            try {
                out.write(buf, 0, k);
            } catch (IOException e) {
                throw WriteFailure.of(dest, e);
            }
            n += k;
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw WriteFailure.of(dest, e);
        }
        return n;
    }

    private static ArchiveFormat formatOf(Path archive) {
        if (Files.exists(archive) && !Files.isRegularFile(archive)) {
            // a FIFO would block the read forever, a device never ends, a folder is not an archive
            throw new ArtifactException("cannot extract " + archive + ": it is not a regular file ("
                    + (Files.isDirectory(archive) ? "a folder" : "a FIFO, socket or device")
                    + "); give the path of a downloaded archive");
        }
        try {
            return ArchiveFormat.detect(archive);
        } catch (NoSuchFileException e) {
            throw new ArtifactException("archive not found: " + archive + " (download it first with 'ssilab fetch')");
        } catch (AccessDeniedException e) {
            throw new ArtifactException("cannot read " + archive + ": permission denied");
        } catch (IOException e) {
            throw new ArtifactException("cannot read " + archive + ": " + e.getMessage());
        }
    }

    static ArtifactException readFailure(Path archive, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ArtifactException("cannot extract " + archive + ": " + why
                + " (the file is damaged or incomplete: fetch it again)", e);
    }
}
