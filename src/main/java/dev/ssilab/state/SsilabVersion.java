package dev.ssilab.state;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * ssilab's version, as Maven stamped it into the jar: one answer for `--version`, the lessons'
 * ${version} and the ssi-uml tarball's name, which must agree.
 */
public final class SsilabVersion {
    private SsilabVersion() {}

    /** The version; "0.0.0" when the resource is missing or was not filtered (a run from an IDE). */
    public static String get() {
        Properties p = new Properties();
        try (InputStream in = SsilabVersion.class.getResourceAsStream("/ssilab-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to the default below
        }
        String v = p.getProperty("version", "");
        return v.isBlank() || v.contains("$") ? "0.0.0" : v;
    }
}
