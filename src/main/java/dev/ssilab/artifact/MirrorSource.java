package dev.ssilab.artifact;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * One place an artifact is fetched from: the mirror's base (where its MANIFEST is), the artifact's
 * name, its URL, and whether a MANIFEST must list it (a name from a mirror must; a full URL may be
 * fetched unchecked).
 */
record MirrorSource(URI base, String name, URI file, boolean manifestRequired) {

    /** The sources of {@code what}, a MANIFEST name (one per mirror, in order) or a full http(s) URL. */
    static List<MirrorSource> of(String what, List<URI> mirrors) {
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
            return List.of(new MirrorSource(u.resolve("."), name, u, false));
        }
        if (!Artifacts.isPlainName(what)) {
            throw new ArtifactException("bad artifact name '" + what + "': give a file name from the mirror's MANIFEST"
                    + " (e.g. " + Artifacts.ROOT_IMAGE + ") or a full http:// URL");
        }
        if (mirrors.isEmpty()) {
            throw new ArtifactException("no mirror to fetch " + what + " from: pass --mirror http://HOST:PORT/ or set SSILAB_MIRROR");
        }
        return mirrors.stream().map(m -> new MirrorSource(m, what, m.resolve(encode(what)), true)).toList();
    }

    private static String encode(String name) {
        try {
            return new URI(null, null, name, null).getRawPath();
        } catch (URISyntaxException e) {
            throw new ArtifactException("bad artifact name '" + name + "'");
        }
    }
}
