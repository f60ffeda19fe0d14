package dev.ssilab.artifact;

import dev.ssilab.state.AtomicFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Downloads one artifact over HTTP the careful way: mirrors tried in order, a partial file resumed with
 * a Range request, the SHA-256 checked against the mirror's MANIFEST, and only then an atomic rename
 * to the final name. A failed, truncated or corrupt download never replaces a good file.
 *
 * <p>The partial download lives beside the target as {@code .NAME.part}; it survives a failure (so the
 * next run resumes) but not a checksum mismatch.
 */
public final class Downloader {
    /** What a successful fetch did. */
    public record Result(Path file, long size, String sha256, URI source, long resumedFrom, boolean alreadyPresent,
                         long transferred, Duration elapsed, boolean checked) {
        Result(Path file, long size, String sha256, URI source, long resumedFrom, boolean alreadyPresent,
               long transferred, Duration elapsed) {
            this(file, size, sha256, source, resumedFrom, alreadyPresent, transferred, elapsed, true);
        }
    }

    private final ManifestFetch manifests;
    private final PartDownload parts;
    private final Consumer<String> notes;

    /** {@code notes} gets one-line remarks worth showing (a fallback to the next mirror, a resume). */
    public Downloader(Duration connectTimeout, Duration readTimeout, Progress.Factory progress, Consumer<String> notes) {
        MirrorHttp http = new MirrorHttp(connectTimeout, readTimeout);
        this.manifests = new ManifestFetch(http);
        this.parts = new PartDownload(http, progress, notes);
        this.notes = notes;
    }

    public Downloader(Progress.Factory progress, Consumer<String> notes) {
        this(Duration.ofSeconds(10), Duration.ofSeconds(30), progress, notes);
    }

    /**
     * Fetches {@code what}, a MANIFEST name looked up on each mirror in turn, or a full http(s) URL
     * (checked against the MANIFEST beside it), into {@code target}.
     */
    public Result fetch(String what, Path target, List<URI> mirrors) {
        return fetch(what, target, mirrors, false);
    }

    /**
     * As {@link #fetch(String, Path, List)}; a URL that no MANIFEST beside it lists is refused unless
     * {@code unchecked} (the learner's explicit {@code --no-check}): then it is saved, marked unchecked.
     */
    public Result fetch(String what, Path target, List<URI> mirrors, boolean unchecked) {
        List<MirrorSource> sources = MirrorSource.of(what, mirrors);
        Path out = saveTarget(target);
        Path part = out.resolveSibling("." + out.getFileName() + ".part");
        List<String> failures = new ArrayList<>();
        for (MirrorSource s : sources) {
            try {
                return fetchFrom(s, out, part, unchecked);
            } catch (MirrorFailure f) {
                failures.add(s.base() + " (" + f.getMessage() + ")");
                if (sources.size() > 1) {
                    notes.accept("mirror " + s.base() + " failed: " + f.getMessage() + "; trying the next one");
                }
            }
        }
        String kept = Files.exists(part) ? "; the partial download " + part.getFileName()
                + " is kept: run the same command again to resume" : "";
        String name = sources.get(0).name();
        if (failures.size() == 1) {
            throw new ArtifactException("cannot fetch " + name + " from " + failures.get(0) + kept);
        }
        throw new ArtifactException("cannot fetch " + name + " from any of " + failures.size() + " mirrors: "
                + String.join("; ", failures) + kept);
    }

    /**
     * Checks {@code target} against the MANIFEST of the first mirror that answers, downloading
     * nothing: a lesson's check that the learner's file is the right one.
     */
    public Result verify(String what, Path target, List<URI> mirrors) {
        List<MirrorSource> sources = MirrorSource.of(what, mirrors);
        Path out = target.toAbsolutePath().normalize();
        List<String> failures = new ArrayList<>();
        for (MirrorSource s : sources) {
            Optional<ManifestEntry> entry;
            try {
                entry = manifests.entry(s);
            } catch (MirrorFailure f) {
                failures.add(s.base() + " (" + f.getMessage() + ")");
                continue;
            }
            ManifestEntry e = entry.orElseThrow(() -> new ArtifactException("cannot verify " + out
                    + ": there is no MANIFEST beside " + s.file()));
            if (!Files.isRegularFile(out)) {
                throw new ArtifactException(out + " not found: fetch it with 'ssilab fetch " + s.name() + "'");
            }
            String sha;
            try {
                sha = Files.size(out) == e.size() ? Sha256.of(out) : "size " + Files.size(out);
            } catch (IOException x) {
                throw new ArtifactException("cannot read " + out + ": " + x.getMessage());
            }
            if (!sha.equals(e.sha256())) {
                throw new ArtifactException(out + " does not match the MANIFEST of " + s.base() + " ("
                        + (sha.startsWith("size") ? sha + " bytes, expected " + e.size() : "sha256 " + sha.substring(0, 12)
                        + "..., expected " + e.sha256().substring(0, 12) + "...") + "): fetch it again with 'ssilab fetch "
                        + s.name() + "'");
            }
            return new Result(out, e.size(), sha, s.file(), 0, true, 0, Duration.ZERO);
        }
        throw new ArtifactException("cannot verify " + out + ": no mirror answered: " + String.join("; ", failures));
    }

    /** The file to (re)place: through a symlink to the file it names; never a folder or a device. */
    private static Path saveTarget(Path target) {
        Path out = target.toAbsolutePath().normalize();
        if (Files.isDirectory(out)) {
            throw new ArtifactException("cannot save to " + out + ": it is a folder (give a file name with -o)");
        }
        if (Files.exists(out)) {
            try {
                out = out.toRealPath();
            } catch (IOException e) {
                throw new ArtifactException("cannot save to " + out + ": " + e.getMessage());
            }
            if (!Files.isRegularFile(out)) {
                throw new ArtifactException("cannot save to " + out + ": it is not a regular file (give a file name with -o)");
            }
        }
        return out;
    }

    private Result fetchFrom(MirrorSource s, Path out, Path part, boolean unchecked) throws MirrorFailure {
        long t0 = System.nanoTime();
        Optional<ManifestEntry> entry = manifests.entry(s);
        if (entry.isPresent() && Files.isRegularFile(out) && matches(out, entry.get())) {
            return new Result(out, entry.get().size(), entry.get().sha256(), s.file(), 0, true, 0,
                    Duration.ofNanos(System.nanoTime() - t0));
        }
        if (entry.isEmpty() && !unchecked) {
            throw new ArtifactException("refusing to fetch " + s.file() + ": no MANIFEST beside it lists " + s.name()
                    + ", so the download cannot be checked; nothing was downloaded (fetch it by name from a mirror,"
                    + " or pass --no-check to take it unchecked)");
        }
        if (entry.isEmpty()) {
            notes.accept("no MANIFEST beside " + s.file() + " lists " + s.name() + ": it is saved UNCHECKED (--no-check),"
                    + " only its length is checked");
        }
        for (int attempt = 0; ; attempt++) {
            long have = PartDownload.partSize(part, entry);
            PartDownload.Transfer t = parts.transfer(s, part, have, entry);
            String sha = t.sha256();
            if (entry.isPresent() && !sha.equals(entry.get().sha256())) {
                PartDownload.deleteQuietly(part);
                if (t.resumedFrom() > 0 && attempt == 0) {
                    notes.accept("the resumed " + s.name() + " did not match its checksum; downloading it again from the start");
                    continue;
                }
                throw new MirrorFailure("checksum mismatch: got sha256 " + sha.substring(0, 12) + "..., MANIFEST says "
                        + entry.get().sha256().substring(0, 12) + "...; the bad download was discarded, "
                        + out.getFileName() + " was left as it was");
            }
            try {
                AtomicFiles.moveAtomically(part, out);
            } catch (IOException e) {
                throw new ArtifactException("cannot rename " + part + " to " + out + ": " + e.getMessage());
            }
            return new Result(out, t.size(), sha, s.file(), t.resumedFrom(), false, t.size() - t.resumedFrom(),
                    Duration.ofNanos(System.nanoTime() - t0), entry.isPresent());
        }
    }

    private static boolean matches(Path file, ManifestEntry e) {
        try {
            return Files.size(file) == e.size() && Sha256.of(file).equals(e.sha256());
        } catch (IOException x) {
            return false;
        }
    }
}
