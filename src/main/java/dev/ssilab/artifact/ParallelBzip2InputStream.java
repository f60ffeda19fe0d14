package dev.ssilab.artifact;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Decompresses bzip2 with every core: a scanner thread cuts the input into blocks
 * ({@link Bzip2BlockSplitter}), a fixed pool decodes the blocks concurrently, and {@link #read} hands
 * out their output in order. At most {@code threads + 1} decoded blocks wait, which bounds memory (a
 * block of a mostly empty disk image decodes to about 45 MB).
 *
 * <p>Any failure (a false cut, a corrupt or truncated file) surfaces as an IOException from read;
 * callers then decode sequentially, which either succeeds or gives the definitive error.
 */
final class ParallelBzip2InputStream extends InputStream {
    private static final Future<byte[]> END = CompletableFuture.completedFuture(new byte[0]);

    private final InputStream raw;
    private final ExecutorService pool;
    private final Thread scanner;
    private final BlockingQueue<Future<byte[]>> queue;
    /** Decoders keep big tables: reuse them across blocks rather than allocate per block. */
    private final java.util.Queue<Bzip2BlockDecoder> decoders = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private byte[] current = new byte[0];
    private int pos;
    private boolean done;

    ParallelBzip2InputStream(InputStream raw, int threads) {
        this.raw = raw;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bzip2-decode");
            t.setDaemon(true);
            return t;
        });
        this.queue = new ArrayBlockingQueue<>(threads + 1);
        this.scanner = new Thread(this::scan, "bzip2-scan");
        scanner.setDaemon(true);
        scanner.start();
    }

    private void scan() {
        try {
            Bzip2BlockSplitter splitter = new Bzip2BlockSplitter(raw);
            for (Bzip2BlockSplitter.Piece p; (p = splitter.next()) != null; ) {
                Bzip2BlockSplitter.Piece piece = p;
                queue.put(pool.submit(() -> decode(piece)));
            }
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            try {
                queue.put(CompletableFuture.failedFuture(e));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private byte[] decode(Bzip2BlockSplitter.Piece piece) throws IOException {
        Bzip2BlockDecoder polled = decoders.poll();
        Bzip2BlockDecoder decoder = polled != null ? polled : new Bzip2BlockDecoder();
        try {
            return decoder.decode(piece.stream());
        } catch (Bzip2BlockDecoder.Unsupported e) {
            try (InputStream in = new BZip2CompressorInputStream(new ByteArrayInputStream(piece.stream()))) {
                return in.readAllBytes();
            } catch (IOException | RuntimeException x) {
                throw new Bzip2SplitException("block " + piece.index() + " does not decode on its own", x);
            }
        } catch (IOException | RuntimeException e) {
            throw new Bzip2SplitException("block " + piece.index() + " does not decode on its own", e);
        } finally {
            decoders.add(decoder);
        }
    }

    private boolean advance() throws IOException {
        while (pos >= current.length) {
            if (done) {
                return false;
            }
            try {
                Future<byte[]> f = queue.take();
                if (f == END) {
                    done = true;
                    return false;
                }
                current = f.get();
                pos = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while decompressing");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                throw c instanceof IOException io ? io : new IOException(c);
            }
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return advance() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!advance()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        scanner.interrupt();
        pool.shutdownNow();
        queue.clear();
        raw.close();
    }
}
