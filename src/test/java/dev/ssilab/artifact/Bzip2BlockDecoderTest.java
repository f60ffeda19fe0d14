package dev.ssilab.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Bzip2BlockDecoderTest {
    private final Bzip2BlockDecoder decoder = new Bzip2BlockDecoder();
    /** A tiny CRC buffer, so runs and literals meet its edges thousands of times. */
    private final Bzip2BlockDecoder tinyBuffer = new Bzip2BlockDecoder(7);

    /** Decodes every block of {@code data}'s bzip2 form with one reused decoder and joins the output. */
    private byte[] roundTrip(byte[] data, int level) throws IOException {
        Bzip2BlockSplitter s = new Bzip2BlockSplitter(new ByteArrayInputStream(TestFiles.bzip2(data, level)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Bzip2BlockSplitter.Piece p; (p = s.next()) != null; ) {
            byte[] block = decoder.decode(p.stream());
            assertArrayEquals(block, tinyBuffer.decode(p.stream()));
            out.write(block);
        }
        return out.toByteArray();
    }

    @Test
    void decodesAllByteValuesRunsAndTextLikeData() throws IOException {
        Random r = new Random(3);
        byte[] random = new byte[400_000];
        r.nextBytes(random); // all 256 symbols in use
        assertArrayEquals(random, roundTrip(random, 1));
        assertArrayEquals(new byte[3_000_000], roundTrip(new byte[3_000_000], 9)); // one long run
        ByteArrayOutputStream runs = new ByteArrayOutputStream();
        for (int len = 1; len < 600; len++) { // every run length around the 4-byte threshold and past 255
            for (int k = 0; k < len; k++) {
                runs.write(len & 0xff);
            }
            runs.write('x');
        }
        assertArrayEquals(runs.toByteArray(), roundTrip(runs.toByteArray(), 1));
        ByteArrayOutputStream shortRuns = new ByteArrayOutputStream(); // like programs: many runs of 4-40
        for (int i = 0; shortRuns.size() < 2_000_000; i++) {
            int len = 1 + r.nextInt(40);
            int v = r.nextInt(4) == 0 ? r.nextInt(256) : 0;
            for (int k = 0; k < len; k++) {
                shortRuns.write(v);
            }
        }
        assertArrayEquals(shortRuns.toByteArray(), roundTrip(shortRuns.toByteArray(), 9));
        byte[] text = TestFiles.data(1_000_000, 8);
        assertArrayEquals(text, roundTrip(text, 2));
        assertArrayEquals(new byte[] {42}, roundTrip(new byte[] {42}, 9));
    }

    @Test
    void aDamagedBlockIsAnErrorNotWrongData() throws IOException {
        byte[] bz = TestFiles.bzip2(TestFiles.data(200_000, 9), 9);
        Bzip2BlockSplitter s = new Bzip2BlockSplitter(new ByteArrayInputStream(bz));
        byte[] block = s.next().stream();
        for (int at : new int[] {40, block.length / 2, block.length - 20}) {
            byte[] damaged = block.clone();
            damaged[at] ^= 0x10;
            assertThrows(IOException.class, () -> decoder.decode(damaged), "damage at byte " + at);
        }
    }
}
