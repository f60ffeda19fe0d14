package dev.ssilab.artifact;

import java.io.IOException;
import java.nio.file.AccessDeniedException;

/**
 * Turns a failed write of extracted or built files into one line that says what to do: extraction,
 * the tarball unpacker and the artifact builder all write under a folder the learner chose with -C.
 */
final class WriteFailure {
    private WriteFailure() {}

    /** The failure to throw for {@code e}, raised while writing {@code where} (a path, or a stream's name). */
    static ArtifactException of(Object where, IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("No space left")) {
            return new ArtifactException("disk full while writing " + where + ": free some space and run again", e);
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return new ArtifactException("cannot write " + where + ": " + e.getMessage() + " is in the way (a file where a folder is needed)", e);
        }
        if (e instanceof AccessDeniedException) {
            return new ArtifactException("cannot write " + where + ": permission denied (choose another folder with -C)", e);
        }
        return new ArtifactException("cannot write " + where + ": " + msg, e);
    }
}
