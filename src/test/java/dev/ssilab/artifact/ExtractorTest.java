package dev.ssilab.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractorTest {
    @TempDir
    Path tmp;

    private final Extractor extractor = new Extractor(Progress.Factory.NONE, 2);

    /** One tar entry to write: a file (text), a folder (text null, no link) or a link. */
    private record E(String name, String text, String symlink, String hardlink, byte special) {
        E(String name, String text, String symlink, String hardlink) {
            this(name, text, symlink, hardlink, (byte) 0);
        }

        static E file(String name, String text) {
            return new E(name, text, null, null);
        }

        /** A character or block device node, or a FIFO: {@code type} is the tar header's link flag. */
        static E special(String name, byte type) {
            return new E(name, null, null, null, type);
        }

        static E dir(String name) {
            return new E(name, null, null, null);
        }

        static E symlink(String name, String to) {
            return new E(name, null, to, null);
        }

        static E hardlink(String name, String to) {
            return new E(name, null, null, to);
        }
    }

    private Path tarball(String name, E... entries) throws IOException {
        Path p = tmp.resolve(name);
        try (OutputStream file = Files.newOutputStream(p);
             OutputStream comp = name.endsWith(".bz2") ? new BZip2CompressorOutputStream(file)
                     : name.endsWith(".gz") ? new GzipCompressorOutputStream(file)
                     : name.endsWith(".xz") ? new XZCompressorOutputStream(file) : file;
             TarArchiveOutputStream tar = new TarArchiveOutputStream(comp)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (E e : entries) {
                TarArchiveEntry te;
                if (e.special() != 0) {
                    te = new TarArchiveEntry(e.name(), e.special());
                    te.setDevMajor(1);
                    te.setDevMinor(3);
                } else if (e.symlink() != null) {
                    te = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_SYMLINK);
                    te.setLinkName(e.symlink());
                } else if (e.hardlink() != null) {
                    te = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_LINK);
                    te.setLinkName(e.hardlink());
                } else {
                    te = new TarArchiveEntry(e.name(), true); // keep names as given ("../x", "/etc/x")
                    if (e.text() == null) {
                        te = new TarArchiveEntry(e.name().endsWith("/") ? e.name() : e.name() + "/", true);
                    } else {
                        te.setSize(e.text().length());
                        te.setMode(e.name().endsWith(".sh") ? 0100755 : 0100644);
                    }
                }
                tar.putArchiveEntry(te);
                if (e.text() != null) {
                    tar.write(e.text().getBytes(StandardCharsets.UTF_8));
                }
                tar.closeArchiveEntry();
            }
        }
        return p;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aLoneBz2BecomesTheFileBesideItAndTheArchiveStays() throws IOException {
        byte[] data = TestFiles.data(1_200_000, 21);
        Path bz = TestFiles.write(tmp.resolve("downloads/root_fs.ssi.bz2"), TestFiles.bzip2(data, 1));
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        Extractor.Result r = extractor.extract(bz, null, null, cwd);
        assertEquals(tmp.resolve("downloads/root_fs.ssi"), r.output());
        assertArrayEquals(data, Files.readAllBytes(tmp.resolve("downloads/root_fs.ssi")));
        assertTrue(Files.exists(bz));
        assertEquals(List.of("", "cwd", "downloads", "downloads/root_fs.ssi", "downloads/root_fs.ssi.bz2"), listing(tmp),
                "beside the archive, no temp file left");
    }

    @Test
    void bunzip2StyleDecompressReplacesTheOutputOnlyWhenComplete() throws IOException {
        byte[] data = TestFiles.data(500_000, 22);
        Path bz = TestFiles.write(tmp.resolve("in.bz2"), TestFiles.bzip2(data, 9));
        Path out = TestFiles.write(tmp.resolve("root_fs"), "old".getBytes());
        assertEquals(data.length, extractor.decompress(bz, out));
        assertArrayEquals(data, Files.readAllBytes(out));

        byte[] damaged = TestFiles.bzip2(TestFiles.data(300_000, 23), 1);
        Path bad = TestFiles.write(tmp.resolve("bad.bz2"), Arrays.copyOf(damaged, damaged.length - 100));
        ArtifactException e = assertThrows(ArtifactException.class, () -> extractor.decompress(bad, out));
        assertTrue(e.getMessage().startsWith("cannot extract " + bad), e.getMessage());
        assertArrayEquals(data, Files.readAllBytes(out), "the previous output is untouched");
        assertEquals(List.of("", "bad.bz2", "in.bz2", "root_fs"), listing(tmp), "no temp file left");
    }

    @Test
    void outputThroughASymlinkReplacesItsFileAndAFifoIsWrittenInto() throws Exception {
        byte[] data = TestFiles.data(300_000, 25);
        Path bz = TestFiles.write(tmp.resolve("in.bz2"), TestFiles.bzip2(data, 1));
        Path real = TestFiles.write(tmp.resolve("real/root_fs"), "old".getBytes());
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        extractor.decompress(bz, link);
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertArrayEquals(data, Files.readAllBytes(real));

        Path fifo = tmp.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
        var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        extractor.decompress(bz, fifo);
        assertArrayEquals(data, reader.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS), "a device or FIFO is written into, never replaced");
    }

    @Test
    void gzipAndXzWorkToo() throws IOException {
        byte[] data = TestFiles.data(300_000, 24);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GzipCompressorOutputStream(gz)) {
            o.write(data);
        }
        ByteArrayOutputStream xz = new ByteArrayOutputStream();
        try (OutputStream o = new XZCompressorOutputStream(xz)) {
            o.write(data);
        }
        extractor.extract(TestFiles.write(tmp.resolve("a.gz"), gz.toByteArray()), tmp, null, tmp);
        extractor.extract(TestFiles.write(tmp.resolve("b.xz"), xz.toByteArray()), tmp, null, tmp);
        assertArrayEquals(data, Files.readAllBytes(tmp.resolve("a")));
        assertArrayEquals(data, Files.readAllBytes(tmp.resolve("b")));
    }

    @Test
    void tarballsUnpackWithModesLinksAndIntoExistingFolders() throws IOException {
        for (String kind : List.of(".tar", ".tar.bz2", ".tar.gz", ".tar.xz")) {
            Path archive = tarball("tools" + kind, E.dir("tools/"), E.file("tools/Makefile", "install:\n"),
                    E.file("tools/run.sh", "#!/bin/sh\n"), E.symlink("tools/latest", "run.sh"),
                    E.hardlink("tools/again.sh", "tools/run.sh"), E.file("./tools/sub/deep.txt", "deep"));
            Path target = Files.createDirectories(tmp.resolve("out" + kind).resolve("tools"));
            Files.writeString(target.resolve("mine.txt"), "kept");
            Extractor.Result r = extractor.extract(archive, null, null, target.getParent()); // into the cwd
            assertTrue(r.tarball());
            assertEquals(List.of("tools"), r.topLevel());
            assertEquals("install:\n", Files.readString(target.resolve("Makefile")), kind);
            assertTrue(Files.getPosixFilePermissions(target.resolve("run.sh")).contains(PosixFilePermission.OWNER_EXECUTE), kind);
            assertFalse(Files.getPosixFilePermissions(target.resolve("Makefile")).contains(PosixFilePermission.OWNER_EXECUTE), kind);
            assertEquals(Path.of("run.sh"), Files.readSymbolicLink(target.resolve("latest")), kind);
            assertEquals("#!/bin/sh\n", Files.readString(target.resolve("again.sh")), kind);
            assertEquals("deep", Files.readString(target.resolve("sub/deep.txt")), kind);
            assertEquals("kept", Files.readString(target.resolve("mine.txt")), "files already there stay");
            assertEquals(List.of("", "tools", "tools/Makefile", "tools/again.sh", "tools/latest", "tools/mine.txt",
                    "tools/run.sh", "tools/sub", "tools/sub/deep.txt"), listing(target.getParent()), "no staging left");
        }
    }

    private void assertRefused(Path archive, String entry) throws IOException {
        Path target = Files.createDirectories(tmp.resolve("target-" + archive.getFileName()));
        Files.writeString(target.resolve("before.txt"), "before");
        ArtifactException e = assertThrows(ArtifactException.class, () -> extractor.extract(archive, target, null, tmp));
        assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was extracted"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(List.of("", "before.txt"), listing(target), "nothing extracted, no staging left");
        assertFalse(Files.exists(tmp.resolve("evil")), "nothing written outside");
    }

    @Test
    void entriesEscapingWithDotDotAreRefusedAndNothingIsExtracted() throws IOException {
        assertRefused(tarball("dotdot.tar.bz2", E.file("ok.txt", "fine"), E.file("../evil", "x")), "../evil");
        assertRefused(tarball("dotdot2.tar", E.file("a/../../evil", "x")), "a/../../evil");
    }

    @Test
    void absoluteEntriesAreRefused() throws IOException {
        assertRefused(tarball("abs.tar.gz", E.file("ok.txt", "fine"), E.file("/tmp/evil", "x")), "/tmp/evil");
    }

    @Test
    void symlinksPointingOutAreRefused() throws IOException {
        assertRefused(tarball("abslink.tar", E.symlink("passwd", "/etc/passwd")), "passwd");
        assertRefused(tarball("uplink.tar.xz", E.dir("d/"), E.symlink("d/up", "../../evil")), "d/up");
        // each link harmless on paper, together leading out: "x" is ".", "y" goes through it
        assertRefused(tarball("chain.tar", E.symlink("x", "."), E.dir("y/"), E.symlink("y/z", "../x/..")), "y/z");
        // a dangling chain: "b" is ".", "a" goes through it to a name above the target that does not exist
        assertRefused(tarball("dangling.tar", E.symlink("b", "."), E.dir("d/"), E.symlink("d/a", "../b/../nothing-yet")), "d/a");
        // writing through a link that was just unpacked
        assertRefused(tarball("through.tar", E.symlink("sub", "."), E.file("sub/file", "x")), "sub/file");
    }

    @Test
    void deviceNodesAndFifosAreRefused() throws IOException {
        // /dev/null's numbers (1, 3): a tarball must not make device nodes, whoever runs ssilab
        assertRefused(tarball("chr.tar", E.file("ok.txt", "fine"), E.special("null", TarArchiveEntry.LF_CHR)), "null");
        assertRefused(tarball("blk.tar.gz", E.special("disk", TarArchiveEntry.LF_BLK)), "disk");
        assertRefused(tarball("fifo.tar", E.special("pipe", TarArchiveEntry.LF_FIFO)), "pipe");
    }

    @Test
    void hardlinksToFilesOutsideAreRefused() throws IOException {
        assertRefused(tarball("hard.tar", E.hardlink("shadow", "../../../etc/shadow")), "shadow -> ../../../etc/shadow".split(" ")[0]);
        assertRefused(tarball("hard2.tar", E.hardlink("h", "/etc/passwd")), "h");
    }

    @Test
    void unknownFormatsAndMissingFilesAreOneLine() throws IOException {
        Path txt = Files.writeString(tmp.resolve("notes.txt"), "plain text");
        ArtifactException e = assertThrows(ArtifactException.class, () -> extractor.extract(txt, tmp, null, tmp));
        assertTrue(e.getMessage().startsWith("not an archive ssilab knows: "), e.getMessage());
        ArtifactException missing = assertThrows(ArtifactException.class,
                () -> extractor.extract(tmp.resolve("nope.bz2"), tmp, null, tmp));
        assertTrue(missing.getMessage().contains("ssilab fetch"), missing.getMessage());
    }

    @Test
    void aFifoOrFolderAsArchiveIsRefusedWithoutWaiting() throws Exception {
        Path fifo = tmp.resolve("pipe.bz2");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        ArtifactException e;
        try {
            e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> assertThrows(ArtifactException.class, () -> extractor.extract(fifo, tmp, null, tmp)));
        } finally {
            // a reader stuck on the FIFO (before the fix) is let go by a writer that comes and goes
            new ProcessBuilder("timeout", "2", "sh", "-c", ": >'" + fifo + "'").start().waitFor();
        }
        assertTrue(e.getMessage().contains("not a regular file (a FIFO"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        Path folder = Files.createDirectories(tmp.resolve("folder.tar"));
        ArtifactException f = assertThrows(ArtifactException.class, () -> extractor.extract(folder, tmp, null, tmp));
        assertTrue(f.getMessage().contains("not a regular file (a folder)"), f.getMessage());
    }

    @Test
    void anExistingSymlinkIsNeverWrittenThroughAndTheLearnersFilesAreNeverOverwritten() throws IOException {
        Path archive = tarball("mine.tar", E.dir("dir/"), E.file("dir/file", "from the archive"), E.file("notes.txt", "archive notes"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path target = Files.createDirectories(tmp.resolve("room"));
        Files.createSymbolicLink(target.resolve("dir"), elsewhere);
        ArtifactException e = assertThrows(ArtifactException.class, () -> extractor.extract(archive, target, null, tmp));
        assertTrue(e.getMessage().contains(target.resolve("dir") + " is a symlink"), e.getMessage());
        assertTrue(e.getMessage().contains("remove it or extract elsewhere with -C DIR"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(List.of(""), listing(elsewhere), "nothing written through the link");
        assertEquals(List.of("", "dir"), listing(target), "nothing extracted, no staging left");

        Files.delete(target.resolve("dir"));
        Files.writeString(target.resolve("notes.txt"), "my own notes");
        ArtifactException o = assertThrows(ArtifactException.class, () -> extractor.extract(archive, target, null, tmp));
        assertTrue(o.getMessage().contains("overwrite " + target.resolve("notes.txt") + ", which is already there"), o.getMessage());
        assertEquals("my own notes", Files.readString(target.resolve("notes.txt")));
        assertEquals(List.of("", "notes.txt"), listing(target), "nothing extracted");

        // the same content (e.g. extracting the same archive twice) is fine
        Files.writeString(target.resolve("notes.txt"), "archive notes");
        extractor.extract(archive, target, null, tmp);
        extractor.extract(archive, target, null, tmp);
        assertEquals("from the archive", Files.readString(target.resolve("dir/file")));
    }

    private Path zeros(String name, int bytes) throws IOException {
        Path p = tmp.resolve(name);
        try (OutputStream out = new BZip2CompressorOutputStream(Files.newOutputStream(p))) {
            out.write(new byte[bytes]);
        }
        return p;
    }

    @Test
    void aDecompressionBombIsStoppedUnlessTheLimitIsRaised() throws IOException {
        Path bomb = zeros("bomb.bz2", 8 << 20); // 8 MiB of zeros in a few dozen bytes
        Path tarBomb = tarball("bomb.tar.bz2", E.file("zeros", new String(new char[4 << 20]).replace('\0', '0')));
        for (int threads : List.of(1, 2)) {
            Extractor small = new Extractor(Progress.Factory.NONE, threads, 0, 1 << 20, d -> Long.MAX_VALUE);
            ArtifactException e = assertThrows(ArtifactException.class, () -> small.extract(bomb, tmp, null, tmp));
            assertTrue(e.getMessage().contains("like a decompression bomb; nothing was kept"), e.getMessage());
            assertTrue(e.getMessage().contains("--max-size"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("bomb")));
            ArtifactException t = assertThrows(ArtifactException.class, () -> small.extract(tarBomb, tmp.resolve("x"), null, tmp));
            assertTrue(t.getMessage().contains("decompression bomb"), t.getMessage());
            assertEquals(List.of(""), listing(tmp.resolve("x")), "no staging left");
        }
        Extractor raised = new Extractor(Progress.Factory.NONE, 2, 16 << 20, 1 << 20, d -> Long.MAX_VALUE);
        assertEquals(8 << 20, raised.extract(bomb, tmp, null, tmp).bytes());
        assertEquals(16L << 30, Extractor.parseSize("16G"));
        assertThrows(ArtifactException.class, () -> Extractor.parseSize("lots"));
    }

    @Test
    void extractionStopsBeforeTheDiskIsFull() throws IOException {
        Path z = zeros("z.bz2", 1 << 20);
        Extractor tight = new Extractor(Progress.Factory.NONE, 2, 0, Extractor.MIN_LIMIT, d -> 10 << 20); // 10 MiB free
        ArtifactException e = assertThrows(ArtifactException.class, () -> tight.extract(z, tmp, null, tmp));
        assertTrue(e.getMessage().contains("is running out of space"), e.getMessage());
        assertTrue(e.getMessage().contains("extract elsewhere with -C DIR"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("z")));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of("z.bz2"), left.map(p -> p.getFileName().toString()).toList(), "no half file left");
        }
    }

    @Test
    void aLoneFileNeverReplacesTheLearnersFileOrLinkUnlessAskedWithO() throws IOException {
        byte[] data = TestFiles.data(100_000, 31);
        Path bz = TestFiles.write(tmp.resolve("disk.img.bz2"), TestFiles.bzip2(data, 1));
        Path out = Files.writeString(tmp.resolve("disk.img"), "my edited image");
        ArtifactException e = assertThrows(ArtifactException.class, () -> extractor.extract(bz, null, null, tmp));
        assertTrue(e.getMessage().contains(out + " is already there with different content"), e.getMessage());
        assertEquals("my edited image", Files.readString(out));
        Files.delete(out);
        Path elsewhere = Files.writeString(tmp.resolve("elsewhere"), "precious");
        Files.createSymbolicLink(out, elsewhere);
        ArtifactException l = assertThrows(ArtifactException.class, () -> extractor.extract(bz, null, null, tmp));
        assertTrue(l.getMessage().contains(out + " is a symlink"), l.getMessage());
        assertEquals("precious", Files.readString(elsewhere));
        Files.delete(out);
        extractor.extract(bz, null, null, tmp);
        extractor.extract(bz, null, null, tmp); // the same content again: fine
        assertArrayEquals(data, Files.readAllBytes(out));
        Files.writeString(out, "edited again");
        extractor.extract(bz, null, Path.of("disk.img"), tmp); // -o: replaced, as asked
        assertArrayEquals(data, Files.readAllBytes(out));
        assertEquals(List.of("", "disk.img", "disk.img.bz2", "elsewhere"), listing(tmp), "no temp file left");
    }
}
