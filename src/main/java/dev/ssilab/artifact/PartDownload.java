package dev.ssilab.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One download into the partial file {@code .NAME.part}: resumed with a Range request when the part
 * already holds a beginning, refused up front when the disk cannot take the rest, stopped when the
 * server sends too slowly or more than the MANIFEST says, and hashed as it arrives. The part survives
 * a failure, so the next run resumes it; {@link Downloader} renames it once its checksum is right.
 */
final class PartDownload {
    /** A transfer must bring at least this much in every read-timeout window (16 KiB in 30 s), or it is stalled. */
    static final long MIN_BYTES_PER_WINDOW = 16 << 10;

    private final MirrorHttp http;
    private final Progress.Factory progress;
    private final Consumer<String> notes;

    PartDownload(MirrorHttp http, Progress.Factory progress, Consumer<String> notes) {
        this.http = http;
        this.progress = progress;
        this.notes = notes;
    }

    /** The partial file holds bytes that cannot be right: it is deleted before the failure goes on. */
    private static final class Overflow extends Exception {
        Overflow() {
            super(null, null, false, false);
        }
    }

    /** How much of the partial file can be reused: none if it is already as long as (or longer than) expected. */
    static long partSize(Path part, Optional<ManifestEntry> entry) {
        try {
            if (Files.exists(part, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(part, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(part); // a link or anything else that is not our partial file: start afresh (the link's target is untouched)
                return 0;
            }
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            if (entry.isPresent() && have >= entry.get().size()) {
                Files.deleteIfExists(part);
                return 0;
            }
            return have;
        } catch (IOException e) {
            return 0;
        }
    }

    record Transfer(long size, String sha256, long resumedFrom) {}

    Transfer transfer(MirrorSource s, Path part, long have, Optional<ManifestEntry> entry) throws MirrorFailure {
        HttpURLConnection c = http.open(s.file());
        try {
            if (have > 0) {
                c.setRequestProperty("Range", "bytes=" + have + "-");
            }
            int code = http.status(c, s.file());
            long start;
            if (code == 206 && have > 0 && MirrorHttp.contentRangeStart(c) == have) {
                start = have;
                notes.accept("resuming " + s.name() + " at byte " + have);
            } else if (code == 200) {
                start = 0;
            } else if (code == 416) {
                deleteQuietly(part); // our partial does not fit the file there: start again next time
                throw new MirrorFailure("the server refused to resume (HTTP 416); the partial file was discarded, run again");
            } else {
                throw new MirrorFailure(MirrorHttp.httpReason(code, c));
            }
            long length = c.getContentLengthLong();
            long expected = entry.map(ManifestEntry::size).orElse(length < 0 ? -1 : start + length);
            if (length >= 0 && entry.isPresent() && start + length != expected) {
                throw new MirrorFailure("the server sends " + (start + length) + " bytes but MANIFEST says "
                        + expected + " (the mirror's files changed: rebuild its MANIFEST)");
            }
            MessageDigest md = Sha256.newDigest();
            // never through a link: a .part planted as a link would make us write into another file
            FileChannel opened;
            try {
                Files.createDirectories(part.getParent());
                opened = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw saveFailure(part, e); // before the free space: /proc has none, but cannot take a file at all
            }
            try (FileChannel ch = opened) {
                try {
                    checkSpace(part, expected - start);
                } catch (ArtifactException noRoom) {
                    // Refused before a byte was written: the empty .part just opened holds nothing to resume,
                    // so it is not left behind on the full disk (a .part with bytes in it stays, to resume).
                    if (have == 0) {
                        deleteQuietly(part);
                    }
                    throw noRoom;
                }
                if (start > 0) {
                    Sha256.update(md, part); // the bytes we already have count in the checksum
                    ch.position(start);
                } else {
                    ch.truncate(0);
                }
                long done = start;
                try (InputStream in = c.getInputStream();
                     PipelinedDigest digest = new PipelinedDigest(md);
                     Progress p = progress.start(s.name(), expected, start)) {
                    byte[] buf = new byte[1 << 17];
                    // the read timeout only catches silence: a trickle (a byte a second) needs a minimum rate
                    long windowStart = System.nanoTime();
                    long windowFrom = done;
                    while (true) {
                        int n;
                        try {
                            n = in.read(buf);
                        } catch (IOException e) {
                            throw new MirrorFailure(MirrorHttp.networkReason(e, s.file()) + " after " + done + " of "
                                    + (expected < 0 ? "?" : expected) + " bytes");
                        }
                        if (n < 0) {
                            break;
                        }
                        if (entry.isPresent() && done + n > expected) {
                            throw new Overflow(); // an endless body must not fill the disk
                        }
                        digest.feed(buf, n);
                        write(ch, buf, n, part);
                        done += n;
                        p.update(done);
                        if (System.nanoTime() - windowStart >= http.readTimeout().toNanos()) {
                            if (done - windowFrom < MIN_BYTES_PER_WINDOW) {
                                throw new MirrorFailure("too slow: only " + (done - windowFrom) + " bytes in "
                                        + http.readTimeout().toSeconds() + " s (under " + (MIN_BYTES_PER_WINDOW >> 10)
                                        + " KiB), after " + done + " of " + (expected < 0 ? "?" : expected)
                                        + " bytes; the mirror is overloaded or stalled");
                            }
                            windowStart = System.nanoTime();
                            windowFrom = done;
                        }
                    }
                    if (expected >= 0 && done != expected) {
                        throw new MirrorFailure("the connection closed after " + done + " of " + expected + " bytes");
                    }
                    ch.force(true);
                    return new Transfer(done, digest.finish(), start);
                }
            } catch (IOException e) {
                throw saveFailure(part, e);
            } catch (Overflow o) {
                deleteQuietly(part); // the channel is closed by now
                throw new MirrorFailure("the server sent more than the " + expected + " bytes the MANIFEST says "
                        + s.name() + " has; the download was stopped and discarded (the mirror's files changed:"
                        + " rebuild its MANIFEST)");
            }
        } finally {
            c.disconnect();
        }
    }

    /** A write failure of the download, with what to do (fetch has -o, not extract's -C). */
    static ArtifactException saveFailure(Path part, IOException e) {
        String msg = String.valueOf(e.getMessage());
        Path dir = part.getParent();
        if (msg.contains("No space left")) {
            return new ArtifactException("disk full while writing " + part + ": free some space and run the same"
                    + " command again (the partial download is kept and will resume)", e);
        }
        if (e instanceof java.nio.file.AccessDeniedException || e instanceof java.nio.file.NoSuchFileException
                || e instanceof java.nio.file.FileSystemException && msg.contains("Read-only")) {
            return new ArtifactException("cannot save into " + dir + ": it does not take new files ("
                    + (e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file can be created there" : "read-only")
                    + "); save elsewhere with -o FILE", e);
        }
        return new ArtifactException("cannot write " + part + ": " + msg + " (save elsewhere with -o FILE)", e);
    }

    private static void write(FileChannel ch, byte[] buf, int n, Path part) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        } catch (IOException e) {
            throw saveFailure(part, e);
        }
    }

    private static void checkSpace(Path part, long needed) {
        if (needed <= 0) {
            return;
        }
        try {
            Path dir = part.getParent();
            Files.createDirectories(dir);
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < needed) {
                throw new ArtifactException("disk full: " + part.getFileName().toString().replaceAll("^\\.|\\.part$", "")
                        + " needs " + ProgressBar.size(needed) + " more but " + dir + " has only "
                        + ProgressBar.size(free) + " free; free some space and run again");
            }
        } catch (IOException e) {
            throw saveFailure(part, e);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover .part is harmless: the next run checks or replaces it
        }
    }
}
