package dev.ssilab.cli;

import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by the commands that work on a course: which lessons, which backend, which workdir. */
public final class CourseOptions {

    @Option(names = "--course", paramLabel = "DIR",
            description = "Lessons folder to use (default: SSILAB_COURSE, else the lessons/ shipped with ssilab).")
    Path course;

    @Mixin
    BackendOption backend = new BackendOption();

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Folder where the course's host commands run (default: SSILAB_WORKDIR, else $XDG_DATA_HOME/ssilab/work).")
    Path workdir;

    public Path courseDir() {
        Path dir = course != null ? course : envPath("SSILAB_COURSE");
        if (dir == null) {
            dir = Home.locate().resolve("lessons");
        }
        dir = dir.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError("course folder " + dir + " is a file (pass --course DIR, the folder that holds the lessons)");
        }
        if (!Files.isDirectory(dir)) {
            throw new UserError("course folder not found: " + dir + " (pass --course DIR with your lessons)");
        }
        return dir;
    }

    public String backend() {
        return backend.forCourse(System.getenv()).id();
    }

    public Path workdir(SsilabPaths paths) {
        Path dir = workdir != null ? workdir : envPath("SSILAB_WORKDIR");
        return (dir != null ? dir : paths.defaultWorkdir()).toAbsolutePath().normalize();
    }

    private static Path envPath(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : Path.of(v);
    }
}
