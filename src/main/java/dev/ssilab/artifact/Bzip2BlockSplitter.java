package dev.ssilab.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a bzip2 file (one stream or several concatenated, as parallel compressors make them) into its
 * compressed blocks, each rewrapped as a self-contained one-block bzip2 stream that any decoder can
 * decompress on its own thread.
 *
 * <p>bzip2 blocks are bit-aligned and start with the 48-bit magic 0x314159265359; a stream ends with
 * 0x177245385090 and the stream CRC. The splitter finds those magics bit by bit, copies each block's
 * bits behind a fresh {@code BZh<level>} header and closes it with the end marker and the block's own
 * CRC (a one-block stream's CRC is its block's CRC). A magic can in principle also occur inside
 * compressed data (odds about 2^-48 per bit): such a false cut makes a piece fail to decode or the
 * stream CRC below disagree, and the caller then decodes the file sequentially instead
 * ({@link Bzip2SplitException}).
 */
final class Bzip2BlockSplitter {
    static final long BLOCK_MAGIC = 0x314159265359L;
    static final long EOS_MAGIC = 0x177245385090L;
    private static final long MASK48 = (1L << 48) - 1;
    /** For a fast pre-filter: the 16 bits of the two bytes just before the current one, for every alignment. */
    private static final boolean[] CANDIDATE = candidates();

    /** One block rewrapped as a complete one-block bzip2 stream. */
    record Piece(int index, byte[] stream, int storedCrc) {}

    private final InputStream in;
    private byte[] buf = new byte[1 << 20];
    private long bufStart;          // absolute byte offset of buf[0]
    private int bufLen;
    private boolean eof;

    private long scanByte;          // next absolute byte to feed into the window
    private long window;
    private long minMagicBit;       // a magic must start at or after this bit
    private long blockStart = -1;   // start bit of the open block, -1 if none
    private char level;
    private int combinedCrc;
    private int index;
    private boolean finished;

    Bzip2BlockSplitter(InputStream in) {
        this.in = in;
    }

    /** The next block, or null after the last stream ended. */
    Piece next() throws IOException {
        if (finished) {
            return null;
        }
        if (level == 0 && !startStream()) {
            finished = true;
            return null;
        }
        while (true) {
            if (scanByte >= bufStart + bufLen && !fill()) {
                throw new java.io.EOFException("bzip2 data ends in the middle of a stream (truncated file?)");
            }
            int b = buf[(int) (scanByte - bufStart)] & 0xff;
            window = (window << 8) | b;
            long i = scanByte++;
            if (i < 5 || !CANDIDATE[(int) ((window >>> 8) & 0xffff)]) {
                continue;
            }
            // Magic ending at bit (i+1)*8 - s, for s = 7..0 (earliest first).
            for (int s = 7; s >= 0; s--) {
                long bits = (window >>> s) & MASK48;
                if (bits != BLOCK_MAGIC && bits != EOS_MAGIC) {
                    continue;
                }
                long start = (i + 1) * 8 - s - 48;
                if (start < minMagicBit) {
                    continue;
                }
                Piece piece = blockStart >= 0 ? cut(blockStart, start) : null;
                if (bits == BLOCK_MAGIC) {
                    blockStart = start;
                    minMagicBit = start + 48;
                } else {
                    endStream(start);
                }
                if (piece != null) {
                    return piece;
                }
                if (bits == EOS_MAGIC) {
                    return next(); // an empty stream: go on with the next one, if any
                }
            }
        }
    }

    /** Reads "BZh1".."BZh9" at the current byte; false at a clean end of input. */
    private boolean startStream() throws IOException {
        while (scanByte + 4 > bufStart + bufLen) {
            if (!fill()) {
                if (scanByte == bufStart + bufLen) {
                    return false;
                }
                // bunzip2 ignores trailing garbage after a complete stream; so do we.
                return false;
            }
        }
        int p = (int) (scanByte - bufStart);
        if (buf[p] != 'B' || buf[p + 1] != 'Z' || buf[p + 2] != 'h' || buf[p + 3] < '1' || buf[p + 3] > '9') {
            if (index == 0) {
                throw new IOException("not a bzip2 file (no 'BZh' header)");
            }
            return false; // trailing garbage after a stream, as above
        }
        level = (char) buf[p + 3];
        scanByte += 4;
        minMagicBit = scanByte * 8;
        window = 0;
        combinedCrc = 0;
        blockStart = -1;
        return true;
    }

    /** The end marker starts at bit {@code eos}: check the stream CRC, move to the next stream's header. */
    private void endStream(long eos) throws IOException {
        long crcBit = eos + 48;
        long after = (crcBit + 32 + 7) / 8;
        while (after > bufStart + bufLen) {
            if (!fill()) {
                throw new java.io.EOFException("bzip2 data ends inside an end-of-stream marker (truncated file?)");
            }
        }
        int stored = (int) readBits(crcBit, 32);
        if (stored != combinedCrc) {
            throw new Bzip2SplitException("stream CRC does not match its blocks");
        }
        blockStart = -1;
        level = 0;
        scanByte = after;
        compact(after);
    }

    private Piece cut(long from, long to) {
        int storedCrc = (int) readBits(from + 48, 32);
        combinedCrc = ((combinedCrc << 1) | (combinedCrc >>> 31)) ^ storedCrc;
        long nbits = to - from;
        int outLen = (int) (4 + (nbits + 80 + 7) / 8);
        byte[] out = new byte[outLen];
        out[0] = 'B';
        out[1] = 'Z';
        out[2] = 'h';
        out[3] = (byte) level;
        // Copy the block's bits to byte 4 onwards, realigned to a byte boundary.
        int src = (int) (from / 8 - bufStart);
        int shift = (int) (from % 8);
        int full = (int) (nbits / 8);
        if (shift == 0) {
            System.arraycopy(buf, src, out, 4, full);
        } else {
            for (int k = 0; k < full; k++) {
                out[4 + k] = (byte) ((buf[src + k] << shift) | ((buf[src + k + 1] & 0xff) >>> (8 - shift)));
            }
        }
        long pos = 32L + full * 8L;
        int rest = (int) (nbits % 8);
        if (rest > 0) {
            put(out, pos, readBits(from + full * 8L, rest), rest);
            pos += rest;
        }
        put(out, pos, EOS_MAGIC, 48);
        put(out, pos + 48, storedCrc & 0xffffffffL, 32);
        compact(to / 8);
        return new Piece(index++, out, storedCrc);
    }

    /** Reads {@code n} (<= 57) bits at absolute bit {@code bit} from the buffer, most significant first. */
    private long readBits(long bit, int n) {
        long v = 0;
        for (int k = 0; k < n; k++) {
            long b = bit + k;
            int by = buf[(int) (b / 8 - bufStart)] & 0xff;
            v = (v << 1) | ((by >>> (7 - (b % 8))) & 1);
        }
        return v;
    }

    private static void put(byte[] out, long bit, long value, int n) {
        for (int k = 0; k < n; k++) {
            long b = bit + k;
            if (((value >>> (n - 1 - k)) & 1) != 0) {
                out[(int) (b / 8)] |= (byte) (0x80 >>> (b % 8));
            }
        }
    }

    /** Drops buffered bytes before absolute byte {@code keepFrom}. */
    private void compact(long keepFrom) {
        int drop = (int) Math.min(keepFrom - bufStart, bufLen);
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, bufLen - drop);
            bufLen -= drop;
            bufStart += drop;
        }
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (bufLen == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, bufLen, Math.min(buf.length - bufLen, 1 << 18));
        if (n < 0) {
            eof = true;
            return false;
        }
        bufLen += n;
        return true;
    }

    private static boolean[] candidates() {
        boolean[] t = new boolean[1 << 16];
        for (long magic : new long[] {BLOCK_MAGIC, EOS_MAGIC}) {
            for (int s = 0; s < 8; s++) {
                // The magic ends s bits before the end of the current byte; the two bytes before the
                // current one are then bits [s+8, s+24) counted from the magic's end.
                int v = (int) ((magic >>> (8 - s)) & 0xffff);
                t[v] = true;
            }
        }
        return t;
    }
}
