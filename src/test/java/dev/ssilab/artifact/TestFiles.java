package dev.ssilab.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/** Test data: compressible but not trivial bytes, and their bzip2 forms. */
final class TestFiles {
    private TestFiles() {}

    /** Text-like bytes from a small alphabet with runs, seeded: about 3 bits of entropy a byte. */
    static byte[] data(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        String alphabet = "abcdefgh \n";
        for (int i = 0; i < size; i++) {
            b[i] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
            if (r.nextInt(500) == 0) { // occasional long runs exercise bzip2's run-length stage
                int run = Math.min(size - i - 1, r.nextInt(3000));
                for (int k = 0; k < run; k++) {
                    b[++i] = 0;
                }
            }
        }
        return b;
    }

    static byte[] bzip2(byte[] data, int level) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(bos, level)) {
            bz.write(data);
        }
        return bos.toByteArray();
    }

    static Path write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, data);
    }
}
