package dev.ssilab.artifact;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Counts what the archive expands to and stops it, as it is written, past the size limit (a
 * decompression bomb) or when the target's filesystem would be left with under
 * {@link Extractor#FREE_RESERVE} free. Its refusals are not read failures: no fallback retries them.
 */
final class ExpansionGuard extends FilterInputStream {
    private static final long SPACE_CHECK_EVERY = 8L << 20;

    private final Path archive;
    private final long limit;
    private final Path outDir;
    private final java.util.function.ToLongFunction<Path> freeSpace;
    private long count;
    private long nextCheck;

    ExpansionGuard(InputStream in, Path archive, long limit, Path outDir, java.util.function.ToLongFunction<Path> freeSpace) {
        super(in);
        this.archive = archive;
        this.limit = limit;
        this.outDir = outDir;
        this.freeSpace = freeSpace;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count += n;
            if (count > limit) {
                throw new ArtifactException("refusing to extract " + archive + ": it expands to more than "
                        + ProgressBar.size(limit) + " (over " + Extractor.MAX_RATIO + " times its size unless --max-size is"
                        + " given), like a decompression bomb; nothing was kept (if you trust it, raise the limit,"
                        + " e.g. --max-size " + suggest(limit) + ")");
            }
            if (outDir != null && count >= nextCheck) {
                nextCheck = count + SPACE_CHECK_EVERY;
                long free = freeSpace.applyAsLong(outDir);
                if (free < Extractor.FREE_RESERVE) {
                    throw new ArtifactException("cannot extract " + archive + ": " + outDir + " is running out of"
                            + " space (" + ProgressBar.size(count) + " unpacked so far, only " + ProgressBar.size(free)
                            + " left free); nothing was kept: free some space or extract elsewhere with -C DIR");
                }
            }
        }
        return n;
    }

    private static String suggest(long limit) {
        long g = Math.max(1, (limit >> 30) * 4);
        return g + "G";
    }
}
