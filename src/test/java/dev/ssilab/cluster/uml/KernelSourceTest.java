package dev.ssilab.cluster.uml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.state.UserError;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel source kept in the cache, and the progress of a kernel build read from make's output. */
class KernelSourceTest {

    static Path fakeSource(Path kernels, String debianVersion, String content) throws Exception {
        Path t = kernels.resolve("source").resolve(debianVersion).resolve("linux-source-7.2.tar.xz");
        Files.createDirectories(t.getParent());
        Files.writeString(t, content);
        return t;
    }

    @Test
    void cachedSourcesAreFoundByVersionAndTheNewestWins(@TempDir Path kernels) throws Exception {
        KernelSource sources = new KernelSource(kernels, line -> { });
        assertTrue(sources.newest().isEmpty(), "an empty cache has none");
        Path old = fakeSource(kernels, "7.2.12-1", "old");
        Path fresh = fakeSource(kernels, "7.2.13-1", "new");
        Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000));
        assertEquals(fresh, sources.newest().orElseThrow().tarball());
        assertEquals(old, sources.cached("7.2.12-1").orElseThrow().tarball());
        assertTrue(sources.cached("7.3.1-1").isEmpty());
        assertEquals("7.2.13", sources.newest().orElseThrow().upstream());
        assertEquals("7.2", new KernelSource.Cached("1:7.2-1~exp1", fresh).upstream());
    }

    @Test
    void placingTheSourceLinksItWithoutACopyAndAgainIsANoOp(@TempDir Path dir) throws Exception {
        Path tarball = fakeSource(dir.resolve("kernels"), "7.2.13-1", "tarball bytes");
        KernelSource.Cached c = new KernelSource(dir.resolve("kernels"), line -> { }).newest().orElseThrow();
        Path work = Files.createDirectories(dir.resolve("work"));
        Path placed = KernelSource.place(c, work);
        assertEquals(work.resolve("linux-source-7.2.tar.xz"), placed);
        assertTrue(Files.isSameFile(placed, tarball), "a hard link into the cache (same file system)");
        assertEquals(placed, KernelSource.place(c, work));
        assertEquals("tarball bytes", Files.readString(placed));
        UserError e = assertThrows(UserError.class, () -> KernelSource.place(c, dir.resolve("missing")));
        assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
    }

    @Test
    void objectCountsAreRecordedPerKernelVersion(@TempDir Path kernels) throws Exception {
        KernelSource sources = new KernelSource(kernels, line -> { });
        fakeSource(kernels, "7.2.13-1", "x");
        assertTrue(sources.objects("7.2.13").isEmpty());
        sources.recordObjects("7.2.13", 881);
        assertEquals(OptionalLong.of(881), sources.objects("7.2.13"));
        assertTrue(sources.objects("7.3").isEmpty());
        sources.recordObjects("7.9", 5); // no source of that version: nothing to record it beside
        assertTrue(sources.objects("7.9").isEmpty());
    }

    @Test
    void progressCountsNewObjectsOnlyAndTellsStepsFromMessages() {
        KernelBuildProgress p = new KernelBuildProgress(Set.of("init/main.o"), OptionalLong.of(10));
        assertEquals(1, p.resumedFrom());
        assertTrue(p.accept("  CC      init/main.o"), "a step, but its object was there: not counted again");
        assertEquals(1, p.done());
        assertTrue(p.accept("  CC      kernel/fork.o"));
        assertTrue(p.accept("  AS      arch/um/kernel/entry.o"));
        assertTrue(p.accept("  AR      kernel/built-in.a"));
        assertTrue(p.accept("  LINK linux"));
        assertEquals(3, p.done());
        assertFalse(p.accept("fs/ext4/inode.c:12:5: warning: unused variable 'x'"));
        assertFalse(p.failed());
        assertFalse(p.accept("make[2]: *** [scripts/Makefile.build:229: fs/ext4/inode.o] Error 1"));
        assertTrue(p.failed());
        String status = p.status(65_000_000_000L);
        assertTrue(status.startsWith("[######..............]  30%  3 of about 10 objects  1m05s"), status);
        assertTrue(status.endsWith("LINK linux"), status);
        KernelBuildProgress unknown = new KernelBuildProgress(Set.of(), OptionalLong.empty());
        unknown.accept("  CC      a.o");
        assertEquals("1 objects  0m02s  CC a.o", unknown.status(2_000_000_000L));
    }

    @Test
    void progressNeverClaimsDoneFromAnEstimate() {
        KernelBuildProgress p = new KernelBuildProgress(Set.of(), OptionalLong.of(2));
        p.accept("  CC      a.o");
        p.accept("  CC      b.o");
        p.accept("  CC      c.o");
        assertTrue(p.status(1).contains(" 99%  3 of about 2 objects"), p.status(1));
    }

    @Test
    void treeVersionComesFromTheMakefile(@TempDir Path tree) throws Exception {
        assertTrue(KernelBuildProgress.treeVersion(tree).isEmpty());
        Files.writeString(tree.resolve("Makefile"), "# SPDX\nVERSION = 7\nPATCHLEVEL = 2\nSUBLEVEL = 13\nEXTRAVERSION =\n");
        assertEquals("7.2.13", KernelBuildProgress.treeVersion(tree).orElseThrow());
        Files.writeString(tree.resolve("Makefile"), "VERSION = 7\nPATCHLEVEL = 3\nSUBLEVEL = 0\n");
        assertEquals("7.3", KernelBuildProgress.treeVersion(tree).orElseThrow());
    }

    @Test
    void filterPassesMessagesThroughSummarisesAndRecordsTheObjectCount(@TempDir Path dir) throws Exception {
        Path kernels = dir.resolve("kernels");
        fakeSource(kernels, "7.2.13-1", "x");
        Path tree = Files.createDirectories(dir.resolve("linux"));
        Files.writeString(tree.resolve("Makefile"), "VERSION = 7\nPATCHLEVEL = 2\nSUBLEVEL = 13\n");
        Files.createDirectories(tree.resolve("kernel"));
        Files.writeString(tree.resolve("kernel/old.o"), "");
        Files.createDirectories(tree.resolve("scripts/kconfig"));
        Files.writeString(tree.resolve("scripts/kconfig/conf.o"), ""); // a host tool made by configuring
        KernelSource sources = new KernelSource(kernels, line -> { });
        AtomicLong clock = new AtomicLong();
        String make = "  CC      kernel/fork.o\nfork.c:1: warning: something\n  CC      kernel/exit.o\n  LINK linux\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // make writes the objects and the kernel while the filter reads its output
        BufferedReader makeOutput = new BufferedReader(new StringReader(make)) {
            @Override
            public String readLine() throws java.io.IOException {
                String line = super.readLine();
                if (line != null && line.startsWith("  CC ")) {
                    Files.writeString(tree.resolve(line.substring(line.lastIndexOf(' ') + 1)), "");
                } else if (line != null && line.equals("  LINK linux")) {
                    Files.writeString(tree.resolve("linux"), "");
                }
                return line;
            }
        };
        int rc = new KernelMakeFilter(tree, sources, new PrintStream(out, true, StandardCharsets.UTF_8), false,
                () -> clock.addAndGet(1_000_000_000L)).run(makeOutput);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        assertTrue(text.contains("ssilab: 1 object file of the kernel is there already (an earlier build): make builds only the rest."), text);
        assertTrue(text.contains("fork.c:1: warning: something\n"), "warnings pass through: " + text);
        assertFalse(text.contains("  CC      kernel/exit.o"), "steps are folded: " + text);
        assertTrue(text.contains("ssilab: Kernel built: " + tree.resolve("linux") + " (4 objects, "), text);
        assertEquals(OptionalLong.of(4), sources.objects("7.2.13"), "recorded for the next build's percentage");
        assertFalse(text.contains("\r"), "no redrawing in a log");
    }

    @Test
    void filterExitsTwoWhenMakeFailed(@TempDir Path tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String make = "  CC      a.o\na.c:3:1: error: expected ';'\nmake[1]: *** [scripts/Makefile.build:229: a.o] Error 1\n"
                + "make: *** [Makefile:2000: .] Error 2\n";
        int rc = new KernelMakeFilter(tree, new KernelSource(tree.resolve("k"), l -> { }), new PrintStream(out, true, StandardCharsets.UTF_8),
                true, System::nanoTime).run(new BufferedReader(new StringReader(make)));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(2, rc);
        assertTrue(text.contains("a.c:3:1: error: expected ';'\n"), text);
        assertTrue(text.contains("The kernel build FAILED"), text);
        assertTrue(text.contains("\r"), "a terminal gets a redrawn status line");
    }
}
