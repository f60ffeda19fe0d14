package dev.ssilab.cluster.sim.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Node N's console device: everything shown on it is appended to {@code <clusterDir>/node<N>/console.log}
 * and written to each console session attached to it; {@code /devfs/nodeN/console} writes land here.
 */
public final class NodeConsole {
    private final Path log;
    private final Set<Sink.Terminal> attached = new CopyOnWriteArraySet<>();

    NodeConsole(Path nodeDir) {
        try {
            Files.createDirectories(nodeDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the node folder " + nodeDir, e);
        }
        this.log = nodeDir.resolve("console.log");
    }

    /** Appends to the log only (a session's own output, which it already shows itself). */
    public synchronized void log(String text) {
        try {
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is a convenience copy; a full disk must not break the simulated node
        }
    }

    /** A write to the device: logged once and shown on every attached session. */
    void show(String text) {
        log(text);
        for (Sink.Terminal t : attached) {
            t.writeRaw(text);
        }
    }

    public void attach(Sink.Terminal t) {
        attached.add(t);
    }

    public void detach(Sink.Terminal t) {
        attached.remove(t);
    }
}
