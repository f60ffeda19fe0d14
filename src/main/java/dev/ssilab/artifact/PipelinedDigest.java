package dev.ssilab.artifact;

import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * SHA-256 computed on its own thread while the caller keeps receiving and writing: on a two-core
 * machine the checksum then costs almost no extra time. {@link #feed} copies the bytes, so the
 * caller may reuse its buffer at once; at most 16 chunks wait, which bounds memory.
 */
final class PipelinedDigest implements AutoCloseable {
    private static final byte[] END = new byte[0];

    private final MessageDigest md;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(16);
    private final Thread worker;
    private volatile String hex;

    /** Continues {@code md}, which may already hold the bytes of a resumed download. */
    PipelinedDigest(MessageDigest md) {
        this.md = md;
        this.worker = new Thread(this::run, "sha256");
        worker.setDaemon(true);
        worker.start();
    }

    private void run() {
        try {
            for (byte[] b; (b = queue.take()) != END; ) {
                md.update(b);
            }
            hex = Sha256.hex(md);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void feed(byte[] buf, int n) throws InterruptedIOException {
        try {
            queue.put(Arrays.copyOf(buf, n));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while checking the download");
        }
    }

    /** Waits for the last bytes to be hashed and returns the SHA-256 as hex. */
    String finish() throws InterruptedIOException {
        try {
            queue.put(END);
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while checking the download");
        }
        return hex;
    }

    @Override
    public void close() {
        worker.interrupt();
    }
}
