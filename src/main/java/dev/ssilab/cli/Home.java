package dev.ssilab.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds ssilab's installation folder (the one holding lessons/ and content/). */
public final class Home {
    private Home() {}

    /** SSILAB_HOME if set (the launchers set it), else the folder above target/ssilab.jar, else the cwd. */
    public static Path locate() {
        String env = System.getenv("SSILAB_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        try {
            Path code = Path.of(Home.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // target/ssilab.jar or target/classes: the project folder is two levels up
            Path candidate = code.getParent() == null ? null : code.getParent().getParent();
            if (candidate != null && Files.isDirectory(candidate.resolve("content"))) {
                return candidate;
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    public static Path content() {
        return locate().resolve("content");
    }
}
