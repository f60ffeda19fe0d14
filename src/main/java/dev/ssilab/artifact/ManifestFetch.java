package dev.ssilab.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Reads a mirror's MANIFEST and finds one artifact's line in it: what a download is checked against.
 * The MANIFEST is the server's, so it is bounded in size and in time.
 */
final class ManifestFetch {
    private static final int MAX_MANIFEST = 1 << 20;

    private final MirrorHttp http;

    ManifestFetch(MirrorHttp http) {
        this.http = http;
    }

    /**
     * The MANIFEST line of {@code s}'s artifact; empty when {@code s} may go unchecked (a full URL) and
     * there is no MANIFEST beside it, or it does not list the file.
     */
    Optional<ManifestEntry> entry(MirrorSource s) throws MirrorFailure {
        URI mu = s.base().resolve(Manifest.FILE_NAME);
        HttpURLConnection c = http.open(mu);
        try {
            int code = http.status(c, mu);
            if (code == 404 && !s.manifestRequired()) {
                return Optional.empty();
            }
            if (code != 200) {
                throw new MirrorFailure("MANIFEST: " + MirrorHttp.httpReason(code, c));
            }
            byte[] body;
            try (InputStream in = c.getInputStream()) {
                body = c.getContentLengthLong() > MAX_MANIFEST ? null : readManifest(in);
            } catch (IOException e) {
                throw new MirrorFailure(MirrorHttp.networkReason(e, mu));
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
        long deadline = System.nanoTime() + http.readTimeout().toNanos();
        for (int n; body.size() <= MAX_MANIFEST && (n = in.read(buf, 0, Math.min(buf.length, MAX_MANIFEST + 1 - body.size()))) >= 0; ) {
            body.write(buf, 0, n);
            if (System.nanoTime() > deadline) {
                throw new MirrorFailure("too slow: its MANIFEST did not arrive within " + http.readTimeout().toSeconds()
                        + " s (" + body.size() + " bytes so far); the mirror is overloaded or stalled");
            }
        }
        return body.toByteArray();
    }
}
