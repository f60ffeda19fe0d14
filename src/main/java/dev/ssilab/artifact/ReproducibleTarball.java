package dev.ssilab.artifact;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * A .tar.bz2 whose bytes depend only on its contents: entries sorted by name, one fixed mtime
 * (SOURCE_DATE_EPOCH when set, else the HOWTO's date), owner root, modes 0755/0644.
 */
final class ReproducibleTarball {
    /** 2002-03-06T00:00:00Z, the date of the HOWTO's ssi-ls example. */
    static final Instant DEFAULT_MTIME = Instant.ofEpochSecond(1015372800L);

    private record FileEntry(byte[] data, boolean executable) {}

    private final SortedMap<String, FileEntry> files = new TreeMap<>();
    private final Instant mtime;

    ReproducibleTarball(Instant mtime) {
        this.mtime = mtime;
    }

    void add(String path, String text, boolean executable) {
        files.put(path, new FileEntry(text.getBytes(StandardCharsets.UTF_8), executable));
    }

    void writeBzip2(OutputStream out) throws IOException {
        Set<String> dirs = new TreeSet<>();
        for (String p : files.keySet()) {
            for (int i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) {
                dirs.add(p.substring(0, i + 1));
            }
        }
        SortedMap<String, FileEntry> all = new TreeMap<>(files);
        for (String d : dirs) {
            all.put(d, null);
        }
        BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(new NonClosing(out), 9);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bz, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (var e : all.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                FileEntry f = e.getValue();
                te.setMode(f == null ? 040755 : f.executable() ? 0100755 : 0100644);
                te.setLastModifiedTime(FileTime.from(mtime));
                te.setUserId(0);
                te.setGroupId(0);
                te.setUserName("root");
                te.setGroupName("root");
                if (f != null) {
                    te.setSize(f.data().length);
                }
                tar.putArchiveEntry(te);
                if (f != null) {
                    tar.write(f.data());
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    /** Lets the tar and bzip2 streams finish without closing the caller's file. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
