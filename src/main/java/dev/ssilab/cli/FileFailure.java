package dev.ssilab.cli;

import dev.ssilab.state.SsilabPaths;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a failure to use a file or folder, wherever in ssilab it happened, into one line that names
 * the file, says what the system said, and what to do. The common cause is an XDG_*_HOME that points
 * at a file, a read-only place or a missing disk, so the line names that variable when the file is
 * under one of ssilab's folders.
 */
final class FileFailure {
    private FileFailure() {}

    /** The line for {@code e}, or empty when no file failure is among its causes. */
    static Optional<String> describe(Throwable e, Map<String, String> env) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException fse && fse.getFile() != null) {
                return Optional.of(line(fse, env));
            }
        }
        return Optional.empty();
    }

    private static String line(FileSystemException e, Map<String, String> env) {
        Path file = Path.of(e.getFile()).toAbsolutePath().normalize();
        String reason = e.getReason() != null ? e.getReason()
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "no such file or folder"
                : e instanceof NotDirectoryException ? "not a folder"
                : e instanceof FileAlreadyExistsException ? (Files.isDirectory(file) ? "already exists" : "a file is where a folder is needed")
                : e.getClass().getSimpleName();
        String other = e.getOtherFile() != null ? " (and " + e.getOtherFile() + ")" : "";
        // A full disk is no wrong setting: pointing XDG_* elsewhere is not the advice for it.
        String advice = reason.contains("No space left") ? "the disk is full: free some space there and run the same command again"
                : advice(file, env);
        return "cannot use " + file + other + ": " + reason + " (" + advice + ")";
    }

    private static String advice(Path file, Map<String, String> env) {
        SsilabPaths paths = SsilabPaths.fromEnvironment(env);
        Map<String, Path> homes = new LinkedHashMap<>();
        homes.put("XDG_STATE_HOME", paths.stateHome().getParent());
        homes.put("XDG_DATA_HOME", paths.dataHome().getParent());
        homes.put("XDG_CACHE_HOME", paths.cacheHome().getParent());
        homes.put("XDG_CONFIG_HOME", paths.configHome().getParent());
        for (var home : homes.entrySet()) {
            if (file.startsWith(home.getValue())) {
                return "it is under " + home.getKey() + "=" + home.getValue() + ": point " + home.getKey()
                        + " at a folder you can write, or move away what is in the way";
            }
        }
        return "check that the folders on its path exist, are folders, and that you may write there";
    }
}
