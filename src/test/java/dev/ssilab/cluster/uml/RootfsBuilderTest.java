package dev.ssilab.cluster.uml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.state.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsBuilderTest {
    static final Path RECIPE = Path.of(System.getProperty("ssilab.home", ".")).resolve("content/rootfs");

    @Test
    void sameInputsGiveTheSameImageUnder64MegabytesWithInitAndTools(@TempDir Path dir) throws Exception {
        List<String> progress = new ArrayList<>();
        RootfsBuilder builder = new RootfsBuilder(RECIPE, progress::add);
        long size = builder.build(dir.resolve("a"));
        builder.build(dir.resolve("b"));
        assertTrue(size <= 64L * 1024 * 1024, "image size " + size);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertArrayEquals(sha.digest(Files.readAllBytes(dir.resolve("a"))), sha.digest(Files.readAllBytes(dir.resolve("b"))));
        assertFalse(progress.isEmpty());
        // the image really holds the init, busybox and its applets
        HostCommand.Result ls = HostCommand.run(List.of("debugfs", "-R", "ls -l /sbin", dir.resolve("a").toString()), null, 30);
        assertTrue(ls.output().contains("init"), ls.output());
        HostCommand.Result stat = HostCommand.run(List.of("debugfs", "-R", "stat /bin/busybox", dir.resolve("a").toString()), null, 30);
        assertTrue(stat.output().contains("Mode:  0755"), stat.output());
        assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temp file left");
    }

    @Test
    void missingOutputFolderIsOneClearErrorAndWritesNothing(@TempDir Path dir) {
        RootfsBuilder builder = new RootfsBuilder(RECIPE, line -> { });
        UserError e = assertThrows(UserError.class, () -> builder.build(dir.resolve("nope/root_fs")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertEquals(0, dir.toFile().list().length);
    }

    @Test
    void staticElfCheckTellsStaticFromDynamicPrograms() {
        assertTrue(RootfsBuilder.isStaticElf(Path.of("/bin/busybox")), "Debian's busybox-static must be installed");
        assertFalse(RootfsBuilder.isStaticElf(Path.of("/bin/ls")));
        assertFalse(RootfsBuilder.isStaticElf(Path.of("/etc/passwd")));
    }
}
