package dev.ssilab.artifact;

import dev.ssilab.state.SsilabPaths;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code ssilab fetch}: picks the mirrors (options, else SSILAB_MIRROR, else this machine's own
 * artifacts folder served for the occasion on 127.0.0.1) and the target file, then downloads.
 */
public final class FetchService {
    private final SsilabPaths paths;
    private final Map<String, String> env;
    private final Downloader downloader;
    private final Consumer<String> notes;

    public FetchService(SsilabPaths paths, Map<String, String> env, Downloader downloader, Consumer<String> notes) {
        this.paths = paths;
        this.env = env;
        this.downloader = downloader;
        this.notes = notes;
    }

    /**
     * Fetches {@code what} (an artifact name or URL) into {@code output}, or into {@code cwd} under its
     * own name when output is null; a folder as output keeps the name too. With {@code checkOnly},
     * downloads nothing and only verifies that file against the MANIFEST.
     */
    public Downloader.Result fetch(String what, Path output, List<String> mirrorOptions, Path cwd, boolean checkOnly) {
        return fetch(what, output, mirrorOptions, cwd, checkOnly, false);
    }

    /** As above; {@code unchecked} lets a URL no MANIFEST lists be saved unchecked ({@code --no-check}). */
    public Downloader.Result fetch(String what, Path output, List<String> mirrorOptions, Path cwd, boolean checkOnly,
                                   boolean unchecked) {
        String name = what.contains("/") ? what.substring(what.lastIndexOf('/') + 1) : what;
        Path target = output == null ? cwd.resolve(name) : cwd.resolve(output);
        if (Files.isDirectory(target)) {
            target = target.resolve(name);
        }
        Path file = target;
        boolean url = what.startsWith("http://") || what.startsWith("https://");
        List<URI> mirrors = MirrorList.resolve(mirrorOptions, env);
        if (!mirrors.isEmpty() || url) {
            return run(what, file, mirrors, checkOnly, unchecked);
        }
        Path local = Artifacts.defaultDir(paths);
        if (!Files.isRegularFile(local.resolve(Manifest.FILE_NAME))) {
            throw new ArtifactException("no mirror configured to fetch " + what + ": pass --mirror http://HOST:PORT/"
                    + " or set SSILAB_MIRROR (the instructor's 'ssilab mirror serve' prints it), or build the"
                    + " artifacts on this machine with 'ssilab artifacts build'");
        }
        // Still a real HTTP transfer, from a mirror of this machine's own artifacts.
        try (MirrorServer server = MirrorServer.start(local, "127.0.0.1", 0, line -> { })) {
            notes.accept("no mirror configured: serving " + local + " at " + server.url() + " for this "
                    + (checkOnly ? "check" : "download"));
            return run(what, file, List.of(server.url()), checkOnly, unchecked);
        }
    }

    private Downloader.Result run(String what, Path target, List<URI> mirrors, boolean checkOnly, boolean unchecked) {
        return checkOnly ? downloader.verify(what, target, mirrors) : downloader.fetch(what, target, mirrors, unchecked);
    }
}
