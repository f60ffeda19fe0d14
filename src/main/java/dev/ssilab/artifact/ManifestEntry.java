package dev.ssilab.artifact;

/** One downloadable file as the MANIFEST lists it: its name, size in bytes and SHA-256 (lower-case hex). */
public record ManifestEntry(String name, long size, String sha256) {
    public ManifestEntry {
        if (!Artifacts.isPlainName(name)) {
            throw new IllegalArgumentException("not a plain file name: '" + name + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size for " + name);
        }
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 for " + name + ": '" + sha256 + "'");
        }
    }

    /** The MANIFEST line: {@code sha256  size  name}. */
    public String line() {
        return sha256 + "  " + size + "  " + name;
    }
}
