package dev.ssilab.state;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where ssilab keeps its files, following the XDG base directory rules.
 *
 * <p>Built from an environment map rather than read from globals, so tests point it at a temp dir.
 */
public record SsilabPaths(Path stateHome, Path cacheHome, Path dataHome, Path configHome) {

    public static SsilabPaths fromEnvironment(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        return new SsilabPaths(
                xdg(env, "XDG_STATE_HOME", home.resolve(".local/state")).resolve("ssilab"),
                xdg(env, "XDG_CACHE_HOME", home.resolve(".cache")).resolve("ssilab"),
                xdg(env, "XDG_DATA_HOME", home.resolve(".local/share")).resolve("ssilab"),
                xdg(env, "XDG_CONFIG_HOME", home.resolve(".config")).resolve("ssilab"));
    }

    /** XDG says a relative value is invalid and must be ignored. */
    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank() || !Path.of(value).isAbsolute()) {
            return fallback.toAbsolutePath();
        }
        return Path.of(value);
    }

    /** Registry of clusters: one folder per cluster id. */
    public Path clusters() {
        return stateHome.resolve("clusters");
    }

    /** The learner's progress through the course. */
    public Path progressFile() {
        return stateHome.resolve("progress.properties");
    }

    /** The tutor's command history. */
    public Path historyFile() {
        return stateHome.resolve("history");
    }

    /** Default working directory for the learner's files (root image, swap files, downloads). */
    public Path defaultWorkdir() {
        return dataHome.resolve("work");
    }
}
