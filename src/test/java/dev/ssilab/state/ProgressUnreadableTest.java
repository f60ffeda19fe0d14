package dev.ssilab.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A progress file that cannot be read is not corrupt: it is kept, and the learner is told. */
class ProgressUnreadableTest {
    @Test
    void aFolderInPlaceOfTheFileIsReportedAndKept(@TempDir Path dir) throws Exception {
        Path file = Files.createDirectories(dir.resolve("progress.properties"));
        UserError e = assertThrows(UserError.class, () -> Progress.load(file));
        assertTrue(e.getMessage().startsWith("cannot read your saved progress " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("left it as it is"), e.getMessage());
        assertTrue(Files.isDirectory(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "nothing set aside");
        }
    }

    @Test
    void bytesThatAreNotTextAreCorruptAndSetAside(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("progress.properties"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        Progress.Loaded loaded = Progress.load(file);
        assertTrue(loaded.warning().contains("set aside"), loaded.warning());
        assertTrue(Files.notExists(file));
    }
}
