package dev.ssilab.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * Compresses with bzip2 on every core, the way pbzip2 does: the input is cut into fixed-size chunks,
 * each becomes its own bzip2 stream, and the streams are concatenated in order. Every bzip2 decoder
 * (bunzip2 included) reads the result as one file; the output depends only on the input, not on the
 * number of threads, so builds are reproducible.
 */
final class ParallelBzip2Compressor {
    /** 8 MiB: several 900 kB blocks per stream, so long runs of zeros still fill whole blocks. */
    static final int CHUNK = 8 << 20;

    private final int threads;
    private final int chunk;

    ParallelBzip2Compressor(int threads) {
        this(threads, CHUNK);
    }

    ParallelBzip2Compressor(int threads, int chunk) {
        this.threads = Math.max(1, threads);
        this.chunk = chunk;
    }

    /** Returns the number of input bytes compressed. */
    long compress(InputStream in, OutputStream out, Progress progress) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bzip2-compress");
            t.setDaemon(true);
            return t;
        });
        Deque<Future<byte[]>> inFlight = new ArrayDeque<>();
        long total = 0;
        try {
            while (true) {
                byte[] piece = in.readNBytes(chunk);
                if (piece.length == 0) {
                    break;
                }
                total += piece.length;
                inFlight.add(pool.submit(() -> compressChunk(piece)));
                if (inFlight.size() > threads) {
                    out.write(take(inFlight));
                    progress.update(total);
                }
                if (piece.length < chunk) {
                    break;
                }
            }
            while (!inFlight.isEmpty()) {
                out.write(take(inFlight));
            }
            if (total == 0) {
                out.write(compressChunk(new byte[0])); // an empty input is still a valid bzip2 file
            }
            progress.update(total);
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] take(Deque<Future<byte[]>> inFlight) throws IOException {
        try {
            return inFlight.removeFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private static byte[] compressChunk(byte[] chunk) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(chunk.length / 3 + 64);
        try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(bos, 9)) {
            bz.write(chunk);
        }
        return bos.toByteArray();
    }
}
