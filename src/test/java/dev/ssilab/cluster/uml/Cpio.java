package dev.ssilab.cluster.uml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a cpio archive in the newc format, as the kernel unpacks an initramfs: entries owned by root. */
final class Cpio {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int ino = 1;

    Cpio dir(String name) {
        return entry(name, 0040755, new byte[0]);
    }

    Cpio file(String name, int mode, byte[] data) {
        return entry(name, 0100000 | mode, data);
    }

    Cpio file(String name, int mode, Path from) throws IOException {
        return file(name, mode, Files.readAllBytes(from));
    }

    void writeTo(Path file) throws IOException {
        entry("TRAILER!!!", 0, new byte[0]);
        Files.write(file, out.toByteArray());
    }

    private Cpio entry(String name, int mode, byte[] data) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        StringBuilder h = new StringBuilder("070701");
        long[] fields = {ino++, mode, 0, 0, (mode & 0040000) != 0 ? 2 : 1, 1015437828L, data.length, 0, 0, 0, 0, n.length, 0};
        for (long f : fields) {
            h.append(String.format("%08x", f));
        }
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(n);
        pad();
        out.writeBytes(data);
        pad();
        return this;
    }

    private void pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }
}
