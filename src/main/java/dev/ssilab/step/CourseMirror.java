package dev.ssilab.step;

import dev.ssilab.artifact.MirrorServer;
import java.util.function.Consumer;

/**
 * Where the course downloads from: the mirror the learner configured (SSILAB_MIRROR, e.g. the
 * instructor's in a workshop room), or else one ssilab starts on 127.0.0.1, on first use, and says so.
 * Either way a download step is a real HTTP transfer.
 */
public final class CourseMirror implements AutoCloseable {
    private final String configured;
    private final CourseArtifacts artifacts;
    private final Consumer<String> notes;
    private MirrorServer local;

    public CourseMirror(String configured, CourseArtifacts artifacts, Consumer<String> notes) {
        this.configured = configured == null || configured.isBlank() ? null : configured;
        this.artifacts = artifacts;
        this.notes = notes;
    }

    /** The mirror URL(s) for SSILAB_MIRROR, starting the local mirror the first time it is needed. */
    public synchronized String url() {
        if (configured != null) {
            return configured;
        }
        if (local == null) {
            local = MirrorServer.start(artifacts.ensureBuilt(), "127.0.0.1", 0, line -> {});
            notes.accept("no mirror configured (SSILAB_MIRROR), so ssilab serves the course's downloads itself at "
                    + local.url() + " (a real HTTP server on this machine, from " + artifacts.dir() + ")");
        }
        return local.url().toString();
    }

    @Override
    public synchronized void close() {
        if (local != null) {
            local.close();
            local = null;
        }
    }
}
