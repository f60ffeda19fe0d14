package dev.ssilab.artifact;

import dev.ssilab.state.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
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

    private final Progress.Factory progress;
    private final int threads;

    public Extractor(Progress.Factory progress) {
        this(progress, Runtime.getRuntime().availableProcessors());
    }

    public Extractor(Progress.Factory progress, int threads) {
        this.progress = progress;
        this.threads = Math.max(1, threads);
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
        long n = decompress(archive, out);
        return new Result(out, false, List.of(out.getFileName().toString()), 1, n);
    }

    /** {@code bunzip2 -c X >Y} (and gzip/xz): decompresses {@code compressed} into {@code output}, atomically. */
    public long decompress(Path compressed, Path output) {
        ArchiveFormat format = formatOf(compressed);
        if (format.compression() == ArchiveFormat.Compression.NONE) {
            throw new ArtifactException(compressed + " is not compressed (no bzip2, gzip or xz header)");
        }
        Path out = output.toAbsolutePath().normalize();
        if (Files.isDirectory(out)) {
            throw new ArtifactException("cannot write " + out + ": it is a folder (give a file name)");
        }
        if (Files.exists(out)) {
            try {
                out = out.toRealPath(); // through a symlink: replace the file it names, not the link
            } catch (IOException e) {
                throw writeFailure(out, e);
            }
            if (!Files.isRegularFile(out)) {
                // a device or FIFO (like bunzip2 -c X >/dev/null): write into it, there is nothing to rename over
                try (OutputStream sink = Files.newOutputStream(out, StandardOpenOption.WRITE)) {
                    return decompressTo(compressed, sink, out.toString());
                } catch (IOException e) {
                    throw writeFailure(out, e);
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
                throw writeFailure(parent, e);
            }
            long n;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream sink = Channels.newOutputStream(ch);
                n = withFallback(compressed, format, in -> {
                    ch.truncate(0);
                    ch.position(0);
                    return copy(in, sink, tmp);
                });
                ch.force(true);
            } catch (IOException e) {
                throw writeFailure(tmp, e);
            }
            if (temps.stopping()) {
                throw new ArtifactException("interrupted: " + out + " was not written");
            }
            try {
                Files.setPosixFilePermissions(tmp, TarUnpacker.permissions(0644));
                AtomicFiles.moveAtomically(tmp, out);
                temps.release(tmp);
            } catch (IOException e) {
                throw writeFailure(out, e);
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
        try (InputStream in = open(compressed, format.compression(), false)) {
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
            throw writeFailure(target, e);
        }
        try (TempFiles temps = new TempFiles()) {
            TarUnpacker unpacker = new TarUnpacker(temps, archive.getFileName().toString());
            Path[] staging = new Path[1];
            withFallback(archive, format, in -> {
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
                throw writeFailure(target, e);
            }
        }
    }

    @FunctionalInterface
    private interface Work {
        long run(InputStream decompressed) throws IOException;
    }

    /** Runs {@code work} on the parallel bzip2 decoder, and again on the sequential one if that fails. */
    private long withFallback(Path archive, ArchiveFormat format, Work work) {
        boolean parallel = format.compression() == ArchiveFormat.Compression.BZIP2 && threads > 1;
        if (parallel) {
            try (InputStream in = open(archive, format.compression(), true)) {
                return work.run(in);
            } catch (IOException e) {
                // a false block cut, or a damaged file: the sequential decoder tells which
            }
        }
        try (InputStream in = open(archive, format.compression(), false)) {
            return work.run(in);
        } catch (IOException e) {
            throw readFailure(archive, e);
        }
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
                throw writeFailure(dest, e);
            }
            n += k;
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw writeFailure(dest, e);
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

    static ArtifactException writeFailure(Object where, IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("No space left")) {
            return new ArtifactException("disk full while writing " + where + ": free some space and run again", e);
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return new ArtifactException("cannot write " + where + ": " + e.getMessage() + " is in the way (a file where a folder is needed)", e);
        }
        if (e instanceof AccessDeniedException) {
            return new ArtifactException("cannot write " + where + ": permission denied (choose another folder with -C)", e);
        }
        return new ArtifactException("cannot write " + where + ": " + msg, e);
    }

    /** Counts the compressed bytes read, for the progress bar, and closes the bar with the stream. */
    private static final class ProgressInputStream extends FilterInputStream {
        private final Progress progress;
        private long count;

        ProgressInputStream(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        // Only bulk reads arrive here: a BufferedInputStream sits on top.
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                progress.update(count);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            progress.close();
            super.close();
        }
    }
}
