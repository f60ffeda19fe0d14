package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The failures BadInputTest cannot make as root (chmod does not stop root; a read-only mount needs
 * privileges): a permission denied and a read-only filesystem, as the JDK reports them.
 */
class FileFailureTest {
    private static final Map<String, String> ENV = Map.of("HOME", "/home/u", "XDG_STATE_HOME", "/srv/state");

    @Test
    void permissionDeniedUnderTheStateHomeNamesTheVariable() {
        var e = new UncheckedIOException("cannot write it", new AccessDeniedException("/srv/state/ssilab/progress.properties"));
        assertEquals(Optional.of("cannot use /srv/state/ssilab/progress.properties: permission denied (it is under XDG_STATE_HOME=/srv/state:"
                + " point XDG_STATE_HOME at a folder you can write, or move away what is in the way)"), FileFailure.describe(e, ENV));
    }

    @Test
    void aReadOnlyFilesystemElsewhereGetsTheGeneralAdvice() {
        var e = new RuntimeException(new FileSystemException("/mnt/ro/x.xml", null, "Read-only file system"));
        assertEquals(Optional.of("cannot use /mnt/ro/x.xml: Read-only file system (check that the folders on its path exist, are folders,"
                + " and that you may write there)"), FileFailure.describe(e, ENV));
    }

    @Test
    void aFullDiskUnderTheStateHomeSaysSoNotToMoveTheVariable() {
        var e = new UncheckedIOException(new FileSystemException("/srv/state/ssilab/progress.properties", null, "No space left on device"));
        assertEquals(Optional.of("cannot use /srv/state/ssilab/progress.properties: No space left on device (the disk is full: free some"
                + " space there and run the same command again)"), FileFailure.describe(e, ENV));
    }

    @Test
    void otherFailuresAreNotFileFailures() {
        assertEquals(Optional.empty(), FileFailure.describe(new IllegalStateException("boom"), ENV));
    }
}
