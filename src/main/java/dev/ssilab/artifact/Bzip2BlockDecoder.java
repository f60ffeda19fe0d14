package dev.ssilab.artifact;

import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Decodes one bzip2 block (as cut by {@link Bzip2BlockSplitter}) into its bytes and checks the
 * block's CRC. It is the classic algorithm (Huffman, move-to-front with run lengths, inverse
 * Burrows-Wheeler, the final run-length stage) written for throughput: it works on whole arrays and
 * reuses its tables between blocks, where a stream decoder pays a state machine per output byte.
 *
 * <p>One instance per thread. Blocks in the long-deprecated "randomised" form are not handled here
 * ({@link Unsupported}); the caller decodes those with commons-compress.
 */
final class Bzip2BlockDecoder {
    private static final int MAX_GROUPS = 6;
    private static final int MAX_ALPHA = 258;
    private static final int MAX_CODE_LEN = 20;
    private static final int GROUP_SIZE = 50;
    private static final int MAX_SELECTORS = 18002;
    private static final int LOOKUP = 10;
    /** Each byte value with its bits reversed, for the CRC. */
    private static final byte[] REVERSED = reversedBytes();
    /** Per byte value, 255 copies of it reversed: the longest run one count byte adds. */
    private static final byte[][] REVERSED_RUNS = reversedRuns();

    /** A valid block this decoder leaves to the general decoder. */
    static final class Unsupported extends IOException {
        Unsupported(String what) {
            super(what);
        }
    }

    private int[] tt = new int[0];
    private final byte[] literals;

    Bzip2BlockDecoder() {
        this(1 << 13);
    }

    /** {@code literalBuffer}: how many bytes the CRC gathers per call (small in tests, to hit every edge). */
    Bzip2BlockDecoder(int literalBuffer) {
        literals = new byte[literalBuffer];
    }
    private final byte[] seqToUnseq = new byte[256];
    private final byte[] selectors = new byte[MAX_SELECTORS];
    private final int[][] limit = new int[MAX_GROUPS][MAX_CODE_LEN + 2];
    private final int[][] base = new int[MAX_GROUPS][MAX_CODE_LEN + 2];
    private final int[][] perm = new int[MAX_GROUPS][MAX_ALPHA];
    private final int[] minLens = new int[MAX_GROUPS];
    /** Per group: the next LOOKUP bits -> (symbol << 5 | code length), 0 for codes longer than LOOKUP bits. */
    private final int[][] lookup = new int[MAX_GROUPS][1 << LOOKUP];
    private final byte[][] lens = new byte[MAX_GROUPS][MAX_ALPHA];
    private final int[] unzftab = new int[256];
    private final int[] cftab = new int[257];
    private final byte[] yy = new byte[256];

    private byte[] in;
    private int pos;
    private int overrun; // zero bytes fed past the end by peek(): a valid block never consumes them
    private long bitBuf;
    private int bitCount;

    /** Decodes the one-block stream {@code stream} ("BZh" + level, the block, the end marker). */
    byte[] decode(byte[] stream) throws IOException {
        in = stream;
        pos = 4;
        overrun = 0;
        bitBuf = 0;
        bitCount = 0;
        int level = stream[3] - '0';
        if (stream.length < 14 || stream[0] != 'B' || stream[1] != 'Z' || stream[2] != 'h' || level < 1 || level > 9) {
            throw new IOException("not a bzip2 block");
        }
        int blockMax = level * 100_000;
        if (tt.length < blockMax) {
            tt = new int[blockMax];
        }
        long magic = ((long) bits(24) << 24) | bits(24);
        if (magic != Bzip2BlockSplitter.BLOCK_MAGIC) {
            throw new IOException("no block header");
        }
        int storedCrc = (bits(16) << 16) | bits(16);
        if (bits(1) != 0) {
            throw new Unsupported("randomised block");
        }
        int origPtr = bits(24);
        int nInUse = symbolMap();
        int alphaSize = nInUse + 2;
        int nGroups = bits(3);
        int nSelectors = bits(15);
        if (nGroups < 2 || nGroups > MAX_GROUPS || nSelectors < 1) {
            throw new IOException("bad Huffman header");
        }
        readSelectors(nGroups, nSelectors);
        readTables(nGroups, alphaSize);
        int nblock = mtfDecode(nInUse, blockMax, Math.min(nSelectors, MAX_SELECTORS));
        if (origPtr < 0 || origPtr >= nblock) {
            throw new IOException("bad block origin");
        }
        return output(nblock, origPtr, storedCrc);
    }

    private int bits(int n) throws IOException {
        while (bitCount < n) {
            if (pos >= in.length) {
                throw new IOException("block ends early");
            }
            bitBuf = (bitBuf << 8) | (in[pos++] & 0xff);
            bitCount += 8;
        }
        bitCount -= n;
        return (int) (bitBuf >>> bitCount) & ((1 << n) - 1);
    }

    /** The next {@code n} (<= 24) bits without consuming them; past the end they read as zeros. */
    private int peek(int n) {
        while (bitCount < n) {
            int b;
            if (pos < in.length) {
                b = in[pos++] & 0xff;
            } else {
                b = 0;
                overrun++;
            }
            bitBuf = (bitBuf << 8) | b;
            bitCount += 8;
        }
        return (int) (bitBuf >>> (bitCount - n)) & ((1 << n) - 1);
    }

    private int symbolMap() throws IOException {
        int used16 = bits(16);
        int n = 0;
        for (int i = 0; i < 16; i++) {
            if ((used16 & (0x8000 >>> i)) != 0) {
                int used = bits(16);
                for (int j = 0; j < 16; j++) {
                    if ((used & (0x8000 >>> j)) != 0) {
                        seqToUnseq[n++] = (byte) (i * 16 + j);
                    }
                }
            }
        }
        if (n == 0) {
            throw new IOException("empty symbol map");
        }
        return n;
    }

    private void readSelectors(int nGroups, int nSelectors) throws IOException {
        byte[] mtf = {0, 1, 2, 3, 4, 5};
        for (int i = 0; i < nSelectors; i++) {
            int j = 0;
            while (bits(1) != 0) {
                if (++j >= nGroups) {
                    throw new IOException("bad selector");
                }
            }
            byte v = mtf[j];
            System.arraycopy(mtf, 0, mtf, 1, j);
            mtf[0] = v;
            if (i < MAX_SELECTORS) { // bzip2 1.0.8 also ignores selectors beyond the limit
                selectors[i] = v;
            }
        }
    }

    private void readTables(int nGroups, int alphaSize) throws IOException {
        for (int t = 0; t < nGroups; t++) {
            int curr = bits(5);
            byte[] len = lens[t];
            int min = 32;
            int max = 0;
            for (int i = 0; i < alphaSize; i++) {
                while (true) {
                    if (curr < 1 || curr > MAX_CODE_LEN) {
                        throw new IOException("bad code length");
                    }
                    if (bits(1) == 0) {
                        break;
                    }
                    curr += bits(1) == 0 ? 1 : -1;
                }
                len[i] = (byte) curr;
                min = Math.min(min, curr);
                max = Math.max(max, curr);
            }
            createDecodeTables(t, len, min, max, alphaSize);
            minLens[t] = min;
        }
    }

    /** bzip2's canonical-code tables: limit (largest code of each length), base and perm. */
    private void createDecodeTables(int t, byte[] len, int min, int max, int alphaSize) {
        int[] lim = limit[t];
        int[] bas = base[t];
        int[] per = perm[t];
        int pp = 0;
        for (int i = min; i <= max; i++) {
            for (int j = 0; j < alphaSize; j++) {
                if (len[j] == i) {
                    per[pp++] = j;
                }
            }
        }
        Arrays.fill(bas, 0);
        for (int i = 0; i < alphaSize; i++) {
            bas[len[i] + 1]++;
        }
        for (int i = 1; i < bas.length; i++) {
            bas[i] += bas[i - 1];
        }
        Arrays.fill(lim, -1);
        int vec = 0;
        for (int i = min; i <= max; i++) {
            vec += bas[i + 1] - bas[i];
            lim[i] = vec - 1;
            vec <<= 1;
        }
        for (int i = min + 1; i <= max; i++) {
            bas[i] = ((lim[i - 1] + 1) << 1) - bas[i];
        }
        lim[MAX_CODE_LEN + 1] = Integer.MAX_VALUE; // stops a bad code from running off the table
        int[] table = lookup[t];
        Arrays.fill(table, 0);
        int[] count = new int[MAX_CODE_LEN + 2];
        for (int i = 0; i < alphaSize; i++) {
            count[len[i]]++;
        }
        for (int l = min; l <= Math.min(max, LOOKUP); l++) {
            for (int v = lim[l] - count[l] + 1; v <= lim[l]; v++) {
                int sym = per[v - bas[l]];
                int from = v << (LOOKUP - l);
                int to = (v + 1) << (LOOKUP - l);
                if (from < 0 || to > table.length) {
                    continue; // an inconsistent table: the slow path will reject its codes
                }
                Arrays.fill(table, from, to, (sym << 5) | l);
            }
        }
    }

    /** Huffman + move-to-front + RUNA/RUNB: fills tt's low bytes with the BWT output; returns its length. */
    private int mtfDecode(int nInUse, int blockMax, int nSelectors) throws IOException {
        int eob = nInUse + 1;
        Arrays.fill(unzftab, 0);
        for (int i = 0; i < 256; i++) {
            yy[i] = (byte) i;
        }
        int[] t = tt;
        int nblock = 0;
        int groupNo = -1;
        int groupPos = 0;
        int[] lim = null;
        int[] bas = null;
        int[] per = null;
        int[] table = null;
        int minLen = 0;
        int runLength = 0;
        int runWeight = 1;
        while (true) {
            if (groupPos == 0) {
                if (++groupNo >= nSelectors) {
                    throw new IOException("selectors run out");
                }
                groupPos = GROUP_SIZE;
                int g = selectors[groupNo];
                lim = limit[g];
                bas = base[g];
                per = perm[g];
                table = lookup[g];
                minLen = minLens[g];
            }
            groupPos--;
            int sym;
            int e = table[peek(LOOKUP)];
            if (e != 0) {
                bitCount -= e & 31;
                sym = e >>> 5;
            } else { // a code longer than LOOKUP bits: bzip2's canonical walk
                int zn = minLen;
                int zvec = bits(zn);
                while (zvec > lim[zn]) {
                    if (++zn > MAX_CODE_LEN) {
                        throw new IOException("bad Huffman code");
                    }
                    zvec = (zvec << 1) | bits(1);
                }
                int idx = zvec - bas[zn];
                if (idx < 0 || idx >= MAX_ALPHA) {
                    throw new IOException("bad Huffman code");
                }
                sym = per[idx];
            }
            if (overrun > 0 && bitCount < 8 * overrun) {
                throw new IOException("block ends early");
            }
            if (sym <= 1) { // RUNA (0) or RUNB (1): a bijective base-2 digit of a run length
                runLength += (sym + 1) * runWeight;
                runWeight <<= 1;
                if (runWeight > (1 << 21)) {
                    throw new IOException("run too long");
                }
                continue;
            }
            if (runLength > 0) {
                int uc = seqToUnseq[yy[0] & 0xff] & 0xff;
                if (nblock + runLength > blockMax) {
                    throw new IOException("block too long");
                }
                unzftab[uc] += runLength;
                Arrays.fill(t, nblock, nblock + runLength, uc);
                nblock += runLength;
                runLength = 0;
                runWeight = 1;
            }
            if (sym == eob) {
                return nblock;
            }
            if (nblock >= blockMax) {
                throw new IOException("block too long");
            }
            int nn = sym - 1;
            byte v = yy[nn];
            System.arraycopy(yy, 0, yy, 1, nn);
            yy[0] = v;
            int uc = seqToUnseq[v & 0xff] & 0xff;
            unzftab[uc]++;
            t[nblock++] = uc;
        }
    }

    /**
     * Inverse BWT, the initial run-length stage and the CRC in one pass (blocks of a mostly empty disk
     * image expand 50-fold here: their runs are filled in bulk).
     */
    private byte[] output(int nblock, int origPtr, int storedCrc) throws IOException {
        int[] t = tt;
        cftab[0] = 0;
        for (int i = 1; i <= 256; i++) {
            cftab[i] = cftab[i - 1] + unzftab[i - 1];
        }
        for (int i = 0; i < nblock; i++) {
            int uc = t[i] & 0xff;
            t[cftab[uc]++] |= i << 8;
        }
        // One pass along the BWT chain: the run-length stage and the CRC run while the next random
        // read of tt is still on its way from memory. The output grows by doubling, then is trimmed.
        byte[] out = new byte[nblock + (nblock >> 2) + 64];
        CRC32 crc = new CRC32();
        byte[] lit = literals;
        int nl = 0;
        int o = 0;
        int last = -1;
        int run = 0;
        int tPos = t[origPtr] >>> 8;
        for (int k = 0; k < nblock; k++) {
            if (tPos >= nblock) {
                throw new IOException("bad block origin");
            }
            tPos = t[tPos];
            int ch = tPos & 0xff;
            tPos >>>= 8;
            if (run == 4) {
                if (ch > 0) {
                    if (o + ch > out.length) {
                        out = Arrays.copyOf(out, Math.max(out.length * 2, o + ch));
                    }
                    if (ch > 32 || nl + ch > lit.length) {
                        crc.update(lit, 0, nl);
                        nl = 0;
                    }
                    if (ch <= 32 && ch <= lit.length) {
                        // short runs are common in programs: a plain loop beats Arrays.fill's set-up
                        byte lb = (byte) last;
                        byte rb = REVERSED[last];
                        for (int r = 0; r < ch; r++) {
                            out[o + r] = lb;
                            lit[nl + r] = rb;
                        }
                        nl += ch;
                    } else {
                        Arrays.fill(out, o, o + ch, (byte) last);
                        crc.update(REVERSED_RUNS[last], 0, ch);
                    }
                    o += ch;
                }
                run = 0;
                last = -1;
            } else {
                if (o == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[o++] = (byte) ch;
                if (nl == lit.length) {
                    crc.update(lit, 0, nl);
                    nl = 0;
                }
                lit[nl++] = REVERSED[ch];
                run = ch == last ? run + 1 : 1;
                last = ch;
            }
        }
        crc.update(lit, 0, nl);
        if (Integer.reverse((int) crc.getValue()) != storedCrc) {
            throw new IOException("block CRC mismatch");
        }
        return o == out.length ? out : Arrays.copyOf(out, o);
    }

    private static byte[] reversedBytes() {
        byte[] r = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (Integer.reverse(i) >>> 24);
        }
        return r;
    }

    private static byte[][] reversedRuns() {
        byte[][] rows = new byte[256][255];
        for (int i = 0; i < 256; i++) {
            Arrays.fill(rows[i], REVERSED[i]);
        }
        return rows;
    }
}
