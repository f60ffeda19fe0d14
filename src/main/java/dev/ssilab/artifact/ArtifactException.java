package dev.ssilab.artifact;

import dev.ssilab.state.UserError;

/** A download, extraction or build failure the user can act on; its message is the one line shown. */
public class ArtifactException extends UserError {
    public ArtifactException(String message) {
        super(message);
    }

    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
