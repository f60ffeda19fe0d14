package dev.ssilab.cluster.uml;

import dev.ssilab.state.AtomicFiles;
import dev.ssilab.state.SsilabPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The UML kernels built on this machine: {@code $XDG_CACHE_HOME/ssilab/kernels/KEY/linux}, KEY being the
 * source version and the config fragment's hash, and a {@code current} file naming the one in use.
 */
public final class KernelStore {
    private final Path root;

    public KernelStore(SsilabPaths paths) {
        this.root = paths.cacheHome().resolve("kernels");
    }

    public Path root() {
        return root;
    }

    /** Where the kernel built for this key lives (whether or not it exists yet). */
    Path kernelFor(String key) {
        return root.resolve(key).resolve("linux");
    }

    /** The installed kernel, if one was installed and its file is still there. */
    public Optional<Path> current() {
        Path marker = root.resolve("current");
        try {
            if (!Files.isRegularFile(marker)) {
                return Optional.empty();
            }
            Path kernel = kernelFor(Files.readString(marker).strip());
            return Files.isExecutable(kernel) ? Optional.of(kernel) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void makeCurrent(String key) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeString(root.resolve("current"), key + "\n");
    }

    /**
     * The release a UML binary reports with {@code --version} (UML prints it and exits without booting),
     * or empty when the file is not a UML kernel that runs here.
     */
    public static Optional<String> release(Path kernel) {
        if (!Files.isExecutable(kernel)) {
            return Optional.empty();
        }
        HostCommand.Result r = HostCommand.run(List.of(kernel.toString(), "--version"), null, 20);
        String out = r.output().strip();
        if (!r.ok() || out.isEmpty() || out.contains("\n") || !Character.isDigit(out.charAt(0))) {
            return Optional.empty();
        }
        return Optional.of(out);
    }
}
