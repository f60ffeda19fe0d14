package dev.ssilab.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.junit.jupiter.api.Test;

class Bzip2BlockSplitterTest {

    private static byte[] parallel(byte[] compressed, int threads) throws IOException {
        try (InputStream in = new ParallelBzip2InputStream(new ByteArrayInputStream(compressed), threads)) {
            return in.readAllBytes();
        }
    }

    @Test
    void everyBlockDecodesOnItsOwnAndTheirConcatenationIsTheOriginal() throws IOException {
        byte[] data = TestFiles.data(1_500_000, 1); // level 1 = 100 kB blocks: many blocks
        byte[] bz = TestFiles.bzip2(data, 1);
        Bzip2BlockSplitter splitter = new Bzip2BlockSplitter(new ByteArrayInputStream(bz));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int blocks = 0;
        for (Bzip2BlockSplitter.Piece p; (p = splitter.next()) != null; blocks++) {
            assertEquals(blocks, p.index());
            try (InputStream in = new BZip2CompressorInputStream(new ByteArrayInputStream(p.stream()))) {
                joined.write(in.readAllBytes());
            }
        }
        assertTrue(blocks >= 4, "expected several 100 kB blocks, got " + blocks);
        assertArrayEquals(data, joined.toByteArray());
    }

    @Test
    void parallelDecodingEqualsSequentialForEveryLevelAndThreadCount() throws IOException {
        byte[] data = TestFiles.data(2_000_000, 2);
        for (int level : new int[] {1, 5, 9}) {
            byte[] bz = TestFiles.bzip2(data, level);
            for (int threads : new int[] {1, 2, 4}) {
                assertArrayEquals(data, parallel(bz, threads), "level " + level + ", " + threads + " threads");
            }
        }
    }

    @Test
    void concatenatedStreamsOfDifferentLevelsDecodeInOrder() throws IOException {
        byte[] a = TestFiles.data(700_000, 3);
        byte[] b = TestFiles.data(300_000, 4);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(TestFiles.bzip2(a, 9));
        both.write(TestFiles.bzip2(new byte[0], 3)); // an empty stream in the middle
        both.write(TestFiles.bzip2(b, 1));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(a);
        expected.write(b);
        assertArrayEquals(expected.toByteArray(), parallel(both.toByteArray(), 2));
    }

    @Test
    void parallelCompressorOutputIsOneBzip2FileIndependentOfThreads() throws IOException {
        byte[] data = TestFiles.data(3 * 300_000 + 12345, 5);
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        new ParallelBzip2Compressor(1, 300_000).compress(new ByteArrayInputStream(data), one, Progress.Factory.NONE.start("", -1, 0));
        new ParallelBzip2Compressor(2, 300_000).compress(new ByteArrayInputStream(data), two, Progress.Factory.NONE.start("", -1, 0));
        assertArrayEquals(one.toByteArray(), two.toByteArray());
        try (InputStream in = new BZip2CompressorInputStream(new ByteArrayInputStream(two.toByteArray()), true)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertArrayEquals(data, parallel(two.toByteArray(), 2));
    }

    @Test
    void truncatedOrDamagedInputFails() throws IOException {
        byte[] bz = TestFiles.bzip2(TestFiles.data(400_000, 6), 1);
        byte[] truncated = Arrays.copyOf(bz, bz.length / 2);
        assertThrows(IOException.class, () -> parallel(truncated, 2));
        byte[] damaged = bz.clone();
        damaged[bz.length / 2] ^= 0x55;
        assertThrows(IOException.class, () -> parallel(damaged, 2));
        assertThrows(IOException.class, () -> parallel("not bzip2 at all".getBytes(), 2));
    }
}
