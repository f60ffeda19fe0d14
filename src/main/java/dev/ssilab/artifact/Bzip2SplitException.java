package dev.ssilab.artifact;

import java.io.IOException;

/** The block-parallel bzip2 decoder could not split this file cleanly; decode it sequentially instead. */
final class Bzip2SplitException extends IOException {
    Bzip2SplitException(String message) {
        super(message);
    }

    Bzip2SplitException(String message, Throwable cause) {
        super(message, cause);
    }
}
