package dev.ssilab.artifact;

import dev.ssilab.state.AtomicFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
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
    private static final int MAX_MANIFEST = 1 << 20;
    /** A transfer must bring at least this much in every read-timeout window (16 KiB in 30 s), or it is stalled. */
    static final long MIN_BYTES_PER_WINDOW = 16 << 10;

    /** What a successful fetch did. */
    public record Result(Path file, long size, String sha256, URI source, long resumedFrom, boolean alreadyPresent,
                         long transferred, Duration elapsed, boolean checked) {
        Result(Path file, long size, String sha256, URI source, long resumedFrom, boolean alreadyPresent,
               long transferred, Duration elapsed) {
            this(file, size, sha256, source, resumedFrom, alreadyPresent, transferred, elapsed, true);
        }
    }

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Progress.Factory progress;
    private final Consumer<String> notes;

    /** {@code notes} gets one-line remarks worth showing (a fallback to the next mirror, a resume). */
    public Downloader(Duration connectTimeout, Duration readTimeout, Progress.Factory progress, Consumer<String> notes) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.progress = progress;
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
        List<Source> sources = sources(what, mirrors);
        Path out = saveTarget(target);
        Path part = out.resolveSibling("." + out.getFileName() + ".part");
        List<String> failures = new ArrayList<>();
        for (Source s : sources) {
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
        List<Source> sources = sources(what, mirrors);
        Path out = target.toAbsolutePath().normalize();
        List<String> failures = new ArrayList<>();
        for (Source s : sources) {
            Optional<ManifestEntry> entry;
            try {
                entry = manifestEntry(s);
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

    private record Source(URI base, String name, URI file, boolean manifestRequired) {}

    private static List<Source> sources(String what, List<URI> mirrors) {
        if (what.startsWith("http://") || what.startsWith("https://")) {
            URI u;
            try {
                u = new URI(what);
            } catch (URISyntaxException e) {
                throw new ArtifactException("bad URL '" + what + "': " + e.getReason());
            }
            String path = u.getPath() == null ? "" : u.getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (!Artifacts.isPlainName(name)) {
                throw new ArtifactException("bad URL '" + what + "': it must end with a file name");
            }
            return List.of(new Source(u.resolve("."), name, u, false));
        }
        if (!Artifacts.isPlainName(what)) {
            throw new ArtifactException("bad artifact name '" + what + "': give a file name from the mirror's MANIFEST"
                    + " (e.g. " + Artifacts.ROOT_IMAGE + ") or a full http:// URL");
        }
        if (mirrors.isEmpty()) {
            throw new ArtifactException("no mirror to fetch " + what + " from: pass --mirror http://HOST:PORT/ or set SSILAB_MIRROR");
        }
        return mirrors.stream().map(m -> new Source(m, what, m.resolve(encode(what)), true)).toList();
    }

    private static String encode(String name) {
        try {
            return new URI(null, null, name, null).getRawPath();
        } catch (URISyntaxException e) {
            throw new ArtifactException("bad artifact name '" + name + "'");
        }
    }

    /** A failure of one mirror: the next one is tried. Its message is the short reason. */
    private static final class MirrorFailure extends Exception {
        MirrorFailure(String reason) {
            super(TerminalText.printable(reason), null, false, false); // reasons quote what the server sent
        }
    }

    /** The partial file holds bytes that cannot be right: it is deleted before the failure goes on. */
    private static final class Overflow extends Exception {
        Overflow() {
            super(null, null, false, false);
        }
    }

    private Result fetchFrom(Source s, Path out, Path part, boolean unchecked) throws MirrorFailure {
        long t0 = System.nanoTime();
        Optional<ManifestEntry> entry = manifestEntry(s);
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
            long have = partSize(part, entry);
            Transfer t = transfer(s, part, have, entry);
            String sha = t.sha256();
            if (entry.isPresent() && !sha.equals(entry.get().sha256())) {
                deleteQuietly(part);
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

    /** How much of the partial file can be reused: none if it is already as long as (or longer than) expected. */
    private static long partSize(Path part, Optional<ManifestEntry> entry) {
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

    private record Transfer(long size, String sha256, long resumedFrom) {}

    private Transfer transfer(Source s, Path part, long have, Optional<ManifestEntry> entry) throws MirrorFailure {
        HttpURLConnection c = open(s.file());
        try {
            if (have > 0) {
                c.setRequestProperty("Range", "bytes=" + have + "-");
            }
            int code = status(c, s.file());
            long start;
            if (code == 206 && have > 0 && contentRangeStart(c) == have) {
                start = have;
                notes.accept("resuming " + s.name() + " at byte " + have);
            } else if (code == 200) {
                start = 0;
            } else if (code == 416) {
                deleteQuietly(part); // our partial does not fit the file there: start again next time
                throw new MirrorFailure("the server refused to resume (HTTP 416); the partial file was discarded, run again");
            } else {
                throw new MirrorFailure(httpReason(code, c));
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
                            throw new MirrorFailure(networkReason(e, s.file()) + " after " + done + " of "
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
                        if (System.nanoTime() - windowStart >= readTimeout.toNanos()) {
                            if (done - windowFrom < MIN_BYTES_PER_WINDOW) {
                                throw new MirrorFailure("too slow: only " + (done - windowFrom) + " bytes in "
                                        + readTimeout.toSeconds() + " s (under " + (MIN_BYTES_PER_WINDOW >> 10)
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

    private Optional<ManifestEntry> manifestEntry(Source s) throws MirrorFailure {
        URI mu = s.base().resolve(Manifest.FILE_NAME);
        HttpURLConnection c = open(mu);
        try {
            int code = status(c, mu);
            if (code == 404 && !s.manifestRequired()) {
                return Optional.empty();
            }
            if (code != 200) {
                throw new MirrorFailure("MANIFEST: " + httpReason(code, c));
            }
            byte[] body;
            try (InputStream in = c.getInputStream()) {
                body = c.getContentLengthLong() > MAX_MANIFEST ? null : readManifest(in);
            } catch (IOException e) {
                throw new MirrorFailure(networkReason(e, mu));
            }
            if (body == null || body.length > MAX_MANIFEST) {
                throw new MirrorFailure("its MANIFEST is larger than 1 MiB, more than any ssilab mirror serves;"
                        + " refused (use another mirror, or rebuild its MANIFEST with 'ssilab artifacts build')");
            }
            Manifest m;
            try {
                m = Manifest.parse(new String(body, StandardCharsets.UTF_8), mu.toString());
            } catch (ArtifactException e) {
                throw new MirrorFailure(e.getMessage());
            }
            Optional<ManifestEntry> e = m.find(s.name());
            if (e.isEmpty() && !s.manifestRequired()) {
                return e; // a URL outside the MANIFEST: fetched, but only its length can be checked
            }
            if (e.isEmpty()) {
                // the list is the server's, of any length: the line names a few, then how many more
                List<String> names = m.entries().stream().map(ManifestEntry::name).toList();
                throw new MirrorFailure("it has no " + s.name() + "; it serves: "
                        + String.join(", ", names.subList(0, Math.min(10, names.size())))
                        + (names.size() > 10 ? " and " + (names.size() - 10) + " more" : ""));
            }
            return e;
        } finally {
            c.disconnect();
        }
    }

    /** Up to 1 MiB and one byte more; a MANIFEST trickled a byte at a time is given up after the read timeout. */
    private byte[] readManifest(InputStream in) throws IOException, MirrorFailure {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[1 << 14];
        long deadline = System.nanoTime() + readTimeout.toNanos();
        for (int n; body.size() <= MAX_MANIFEST && (n = in.read(buf, 0, Math.min(buf.length, MAX_MANIFEST + 1 - body.size()))) >= 0; ) {
            body.write(buf, 0, n);
            if (System.nanoTime() > deadline) {
                throw new MirrorFailure("too slow: its MANIFEST did not arrive within " + readTimeout.toSeconds()
                        + " s (" + body.size() + " bytes so far); the mirror is overloaded or stalled");
            }
        }
        return body.toByteArray();
    }

    private HttpURLConnection open(URI u) throws MirrorFailure {
        try {
            HttpURLConnection c = (HttpURLConnection) u.toURL().openConnection();
            c.setConnectTimeout((int) connectTimeout.toMillis());
            c.setReadTimeout((int) readTimeout.toMillis());
            c.setUseCaches(false);
            c.setRequestProperty("User-Agent", "ssilab/" + Artifacts.ssilabVersion());
            c.setRequestProperty("Accept-Encoding", "identity");
            return c;
        } catch (IOException | IllegalArgumentException e) {
            throw new MirrorFailure("bad URL " + u + ": " + e.getMessage());
        }
    }

    /**
     * Connects and returns the status code, turning network failures into one short reason.
     *
     * <p>The read timeout only catches silence: a server that drips the head of its answer (status line,
     * headers) a byte at a time would keep {@code getResponseCode()} waiting forever, the body's minimum
     * rate being out of reach there. So a watchdog closes the connection once the head (redirects
     * included) has taken longer than the read timeout in all; it fires a little after the read timeout
     * itself, so that a server that sends nothing at all still gets the plainer "timed out" reason.
     */
    private int status(HttpURLConnection c, URI u) throws MirrorFailure {
        try {
            c.connect(); // bounded by the connect timeout; the watchdog's time starts once connected
        } catch (IOException e) {
            throw new MirrorFailure(networkReason(e, u));
        }
        java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ScheduledFuture<?> dog = Watchdog.TIMER.schedule(() -> {
            late.set(true);
            c.disconnect(); // closes the socket under the blocked read, which then fails at once
        }, readTimeout.toMillis() + HEAD_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            int code = c.getResponseCode();
            dog.cancel(false);
            if (late.get()) {
                throw new MirrorFailure(headTooSlow(u));
            }
            return code;
        } catch (IOException | RuntimeException e) {
            dog.cancel(false);
            // once disconnected under it, the JDK's client may fail in odd ways (even a NullPointerException)
            if (late.get()) {
                throw new MirrorFailure(headTooSlow(u));
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new MirrorFailure(networkReason((IOException) e, u));
        }
    }

    /** How much longer than the read timeout the head of an answer may take in all (see {@link #status}). */
    private static final long HEAD_GRACE_MILLIS = 2_000;

    private String headTooSlow(URI u) {
        return "timed out waiting for " + hostPort(u) + ": the head of its answer did not arrive within "
                + (readTimeout.toMillis() + HEAD_GRACE_MILLIS) / 1000 + " s (it kept trickling in);"
                + " the mirror is overloaded or stalled, try again later or use another mirror";
    }

    /** One daemon thread, made on first use, that closes connections whose answer is overdue. */
    private static final class Watchdog {
        static final java.util.concurrent.ScheduledExecutorService TIMER =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "ssilab-fetch-watchdog");
                    t.setDaemon(true);
                    return t;
                });
    }

    private static String hostPort(URI u) {
        return u.getHost() + ":" + (u.getPort() < 0 ? 80 : u.getPort());
    }

    private static long contentRangeStart(HttpURLConnection c) {
        String cr = c.getHeaderField("Content-Range"); // bytes FIRST-LAST/SIZE
        if (cr == null || !cr.startsWith("bytes ")) {
            return -1;
        }
        try {
            return Long.parseLong(cr.substring(6, cr.indexOf('-')).strip());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String httpReason(int code, HttpURLConnection c) {
        String msg = "";
        try {
            msg = c.getResponseMessage() == null ? "" : " " + c.getResponseMessage();
        } catch (IOException ignored) {
            // the code alone says enough
        }
        if (msg.length() > 80) {
            msg = msg.substring(0, 80) + "..."; // the reason phrase is the server's to choose, at any length
        }
        if (code >= 300 && code < 400) {
            // The JDK follows http-to-http redirects itself; one that reaches here points elsewhere
            // (https, ftp, file:...) or nowhere: say where, rather than a bare "HTTP 302".
            String to = c.getHeaderField("Location");
            if (to == null || to.isBlank()) {
                return "HTTP " + code + msg + " with no address to go to; the mirror is misconfigured: use another mirror";
            }
            if (to.length() > 120) {
                to = to.substring(0, 120) + "...";
            }
            return "HTTP " + code + msg + ": it redirects to " + to + ", which ssilab does not follow"
                    + " (only redirects to http:// addresses are); fetch that address yourself if you trust it";
        }
        if (code < 100 || code > 599) {
            return "its answer is not HTTP" + (code < 0 ? "" : " (status " + code + ")") + ": is " + hostPort(c) + " an ssilab mirror?"
                    + " ('ssilab mirror serve' prints the URL to use)";
        }
        return switch (code) {
            case 404 -> "HTTP 404 Not Found: the mirror has no such file";
            case 401, 403 -> "HTTP " + code + msg + ": the mirror refuses to serve it; use another mirror,"
                    + " or ask whoever runs it";
            default -> "HTTP " + code + msg + (code >= 500 ? ": the mirror failed; try again later, or use another mirror"
                    : ": check the URL, or use another mirror");
        };
    }

    private static String hostPort(HttpURLConnection c) {
        java.net.URL u = c.getURL();
        return u.getHost() + ":" + (u.getPort() < 0 ? 80 : u.getPort());
    }

    static String networkReason(IOException e, URI u) {
        String hostPort = u.getHost() + ":" + (u.getPort() < 0 ? 80 : u.getPort());
        if (e instanceof ConnectException) {
            return "connection refused by " + hostPort + ": is 'ssilab mirror serve' running there?";
        }
        if (e instanceof SocketTimeoutException) {
            return "timed out waiting for " + hostPort;
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + u.getHost();
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to " + hostPort;
        }
        if (e instanceof FileNotFoundException) {
            return "HTTP 404 Not Found: the mirror has no such file";
        }
        if (e instanceof InterruptedIOException) {
            return "interrupted";
        }
        String msg = String.valueOf(e.getMessage());
        // The JDK's own words for these two say little to a learner (and nothing of what to do).
        if (msg.startsWith("Unexpected end of file from server")) {
            return hostPort + " closed the connection without answering: is it an ssilab mirror?"
                    + " ('ssilab mirror serve' prints the URL to use)";
        }
        if (e instanceof java.net.ProtocolException && msg.contains("redirected too many")) {
            return "too many redirects from " + hostPort + " (a redirect loop): the mirror is misconfigured;"
                    + " use another mirror";
        }
        if (msg.length() > 160) {
            msg = msg.substring(0, 160) + "...";
        }
        return "network error from " + hostPort + ": " + msg + " (try again later, or use another mirror)";
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover .part is harmless: the next run checks or replaces it
        }
    }
}
