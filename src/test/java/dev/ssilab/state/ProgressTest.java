package dev.ssilab.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {
    @TempDir
    Path dir;

    @Test
    void savesAndResumesThePositionAndDoneSteps() {
        Path file = dir.resolve("progress.properties");
        Progress p = new Progress();
        p.moveTo("booting-the-cluster", 2);
        p.markDone("introduction", 0);
        p.markDone("introduction", 1);
        p.save(file);
        Progress.Loaded back = Progress.load(file);
        assertNull(back.warning());
        assertEquals("booting-the-cluster", back.progress().lesson());
        assertEquals(2, back.progress().step());
        assertTrue(back.progress().isDone("introduction", 1));
        assertEquals(2, back.progress().doneCount("introduction"));
        back.progress().reset("introduction");
        assertFalse(back.progress().isDone("introduction", 0));
    }

    @Test
    void corruptFileIsSetAsideNotFatal() throws Exception {
        Path file = dir.resolve("progress.properties");
        Files.writeString(file, "version=1\nstep=banana\n");
        Progress.Loaded loaded = Progress.load(file);
        assertTrue(loaded.warning().contains("step 'banana' is not a number"), loaded.warning());
        assertFalse(Files.exists(file));
        try (var s = Files.list(dir)) {
            assertTrue(s.anyMatch(f -> f.getFileName().toString().startsWith("progress.properties.corrupt-")));
        }
        assertNull(loaded.progress().lesson());
    }

    @Test
    void atomicWriteLeavesNoTempFiles() throws Exception {
        Path file = dir.resolve("a.txt");
        AtomicFiles.writeString(file, "one");
        AtomicFiles.writeString(file, "two");
        assertEquals("two", Files.readString(file));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void xdgPathsFollowTheEnvironmentAndIgnoreRelativeValues() {
        SsilabPaths p = SsilabPaths.fromEnvironment(java.util.Map.of("HOME", "/home/u", "XDG_STATE_HOME", "/s", "XDG_CACHE_HOME", "relative"));
        assertEquals(Path.of("/s/ssilab"), p.stateHome());
        assertEquals(Path.of("/home/u/.cache/ssilab"), p.cacheHome());
        assertEquals(Path.of("/s/ssilab/clusters"), p.clusters());
    }
}
