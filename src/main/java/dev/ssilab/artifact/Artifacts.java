package dev.ssilab.artifact;

import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.SsilabVersion;
import java.nio.file.Path;

/** The names of the course's downloadable files and where they are kept. */
public final class Artifacts {
    private Artifacts() {}

    /** The compressed root image (the HOWTO's root_fs.rh72.ssi.bz2). */
    public static final String ROOT_IMAGE = "root_fs.ssi.bz2";
    /** The UML utilities tarball (the HOWTO's uml_utilities_20020212.tar.bz2); unpacks into tools/. */
    public static final String UML_UTILITIES = "uml_utilities_ssilab.tar.bz2";

    /** The cluster tools tarball (the HOWTO's ssi-uml-0.6.1.tar.bz2); unpacks into ssi-uml-VERSION/. */
    public static String ssiUml(String version) {
        return "ssi-uml-" + version + ".tar.bz2";
    }

    /** $XDG_CACHE_HOME/ssilab/artifacts: what {@code artifacts build} writes and {@code mirror serve} serves. */
    public static Path defaultDir(SsilabPaths paths) {
        return paths.cacheHome().resolve("artifacts");
    }

    /** ssilab's version as Maven stamped it into the jar. */
    public static String ssilabVersion() {
        return SsilabVersion.get();
    }

    /** A name a mirror may serve: one path component, no leading dot, no separators or control characters. */
    public static boolean isPlainName(String name) {
        if (name == null || name.isEmpty() || name.length() > 255 || name.startsWith(".")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
