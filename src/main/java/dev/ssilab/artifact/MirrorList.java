package dev.ssilab.artifact;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The mirrors to try, in order: from {@code --mirror} options, else from SSILAB_MIRROR (comma-separated). */
public final class MirrorList {
    private MirrorList() {}

    public static List<URI> resolve(List<String> options, Map<String, String> env) {
        List<String> raw = new ArrayList<>();
        if (options != null && !options.isEmpty()) {
            raw.addAll(options);
        } else if (env.get("SSILAB_MIRROR") != null) {
            raw.add(env.get("SSILAB_MIRROR"));
        }
        List<URI> mirrors = new ArrayList<>();
        for (String item : raw) {
            for (String s : item.split(",")) {
                if (!s.isBlank()) {
                    mirrors.add(parse(s.strip()));
                }
            }
        }
        return mirrors;
    }

    /** One mirror base URL, normalised to end with '/' so names resolve beneath it. */
    public static URI parse(String s) {
        try {
            URI u = new URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw new URISyntaxException(s, "not an http URL");
            }
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            if (!path.endsWith("/")) {
                path = path + "/";
            }
            return new URI(scheme + "://" + u.getRawAuthority() + path);
        } catch (URISyntaxException e) {
            throw new ArtifactException("bad mirror URL '" + s + "': expected http://HOST:PORT/ (as 'ssilab mirror serve' prints)");
        }
    }
}
