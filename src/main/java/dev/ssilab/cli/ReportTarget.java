package dev.ssilab.cli;

import dev.ssilab.state.UserError;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before a long run, that a report file can be written where it was asked for: the report is
 * written at the end, and a test run that fails there after many minutes (or replaces an empty folder
 * with a file) wastes the run.
 */
final class ReportTarget {
    private ReportTarget() {}

    static void check(Path file, String option) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new UserError(option + " " + file + " is a folder: give a file name, e.g. "
                    + option + " " + abs.resolve("ssilab-test.xml"));
        }
        for (Path p = abs.getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UserError(option + " " + file + " cannot be written: " + p
                            + " is a file, not a folder (give a path in a folder)");
                }
                break;
            }
        }
    }
}
