package dev.ssilab.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The kinds of archive {@code ssilab extract} understands: a compression (or none) and whether it is a tarball. */
public record ArchiveFormat(Compression compression, boolean tar) {

    /** Stream compressions, recognised by their magic bytes. */
    public enum Compression {
        NONE(""), BZIP2(".bz2"), GZIP(".gz"), XZ(".xz");

        final String suffix;

        Compression(String suffix) {
            this.suffix = suffix;
        }
    }

    /** Decides from the file's first bytes (compression) and its name (tarball or not). */
    public static ArchiveFormat detect(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(6);
        }
        Compression c = sniff(head);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean tar = name.endsWith(".tar") || name.matches(".*\\.(tar\\.(bz2|gz|xz)|tbz2?|tgz|txz)$");
        if (c == Compression.NONE && !tar) {
            throw new ArtifactException("not an archive ssilab knows: " + file
                    + " (expected .bz2, .gz, .xz, .tar, .tar.bz2, .tar.gz or .tar.xz content)");
        }
        return new ArchiveFormat(c, tar);
    }

    static Compression sniff(byte[] h) {
        if (h.length >= 4 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h' && h[3] >= '1' && h[3] <= '9') {
            return Compression.BZIP2;
        }
        if (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            return Compression.GZIP;
        }
        if (h.length >= 6 && (h[0] & 0xff) == 0xfd && h[1] == '7' && h[2] == 'z' && h[3] == 'X' && h[4] == 'Z' && h[5] == 0) {
            return Compression.XZ;
        }
        return Compression.NONE;
    }

    /** Where a lone compressed file goes: its name without the suffix (bunzip2's rule: else NAME.out). */
    static String decompressedName(String name, Compression c) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!c.suffix.isEmpty() && lower.endsWith(c.suffix) && name.length() > c.suffix.length()) {
            return name.substring(0, name.length() - c.suffix.length());
        }
        return name + ".out";
    }
}
