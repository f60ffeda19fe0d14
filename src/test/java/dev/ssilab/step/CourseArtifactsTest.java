package dev.ssilab.step;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.artifact.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CourseArtifactsTest {
    @TempDir
    Path tmp;

    @Test
    void cachedDownloadsBuiltFromAnOlderRecipeOrAnotherCheckoutAreRebuilt() throws Exception {
        Path home = tmp.resolve("home");
        Path recipe = home.resolve("content/rootfs");
        Files.createDirectories(recipe.resolve("etc"));
        Files.writeString(recipe.resolve("etc/issue"), "test root\n");
        CourseArtifacts a = new CourseArtifacts(tmp.resolve("cache"), home, line -> {}, Progress.Factory.NONE, Map.of());
        assertFalse(a.complete());
        a.ensureBuilt();
        assertTrue(a.complete(), "just built from these inputs");

        Files.writeString(recipe.resolve("etc/issue"), "test root, changed\n");
        assertFalse(a.complete(), "a changed file of the recipe makes the cache stale");
        a.ensureBuilt();
        assertTrue(a.complete());

        CourseArtifacts other = new CourseArtifacts(tmp.resolve("cache"), tmp.resolve("elsewhere"), line -> {}, Progress.Factory.NONE, Map.of());
        assertNotEquals(a.inputs(), other.inputs(), "another checkout's launchers name another folder");
        assertFalse(other.complete());
    }
}
