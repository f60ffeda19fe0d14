package dev.ssilab.cluster.uml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How far a kernel build ({@code make ARCH=um linux}) has got, read from kbuild's output: one line per
 * step ({@code "  CC      fs/ext4/inode.o"}). Progress counts object files, so a build that resumes
 * after Ctrl-C starts from the objects already there, and the total is the object count recorded by an
 * earlier full build of the same version ({@link KernelSource#objects}), when there was one.
 */
public final class KernelBuildProgress {
    private static final Pattern STEP = Pattern.compile("^ {2}([A-Z][A-Z0-9_]*)(?: \\[M\\])?\\s+(\\S+)\\s*$");
    private static final Pattern MAKE_ERROR = Pattern.compile("^g?make(\\[\\d+\\])?: \\*\\*\\* .*");
    private static final int BAR = 20;

    private final Set<String> existing;
    private final long startDone;
    private final OptionalLong total;
    private long done;
    private boolean failed;
    private String current = "";

    /**
     * @param existing the object files (paths relative to the tree) there before make started
     * @param total the object count of a full build, when known
     */
    public KernelBuildProgress(Set<String> existing, OptionalLong total) {
        this.existing = Set.copyOf(existing);
        this.startDone = existing.size();
        this.done = startDone;
        this.total = total;
    }

    /**
     * The object files under a kernel tree now, relative to it. make runs meanwhile and adds and removes
     * temporary files: one that vanishes under the walk is skipped, never the rest of the tree.
     */
    public static Set<String> objectsIn(Path tree) {
        Set<String> out = new HashSet<>();
        if (!Files.isDirectory(tree)) {
            return out;
        }
        try {
            Files.walkFileTree(tree, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (file.getFileName().toString().endsWith(".o")) {
                        out.add(tree.relativize(file).toString());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // the tree itself went away: count what was seen
        }
        return out;
    }

    /** The kernel version a source tree says in its Makefile (7.2.13), if it is one. */
    public static Optional<String> treeVersion(Path tree) {
        try (Stream<String> lines = Files.lines(tree.resolve("Makefile"))) {
            String[] v = new String[3];
            lines.limit(10).forEach(l -> {
                Matcher m = Pattern.compile("^(VERSION|PATCHLEVEL|SUBLEVEL) = (\\d+)\\s*$").matcher(l);
                if (m.matches()) {
                    v[switch (m.group(1)) { case "VERSION" -> 0; case "PATCHLEVEL" -> 1; default -> 2; }] = m.group(2);
                }
            });
            if (v[0] == null || v[1] == null) {
                return Optional.empty();
            }
            return Optional.of(v[0] + "." + v[1] + (v[2] == null || v[2].equals("0") ? "" : "." + v[2]));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads one line of make's output. Returns true for a routine build step (the caller may fold it
     * into the status line); false for anything else (warnings, errors, make's own messages), which the
     * learner should see as it is.
     */
    public boolean accept(String line) {
        if (MAKE_ERROR.matcher(line).matches()) {
            failed = true;
            return false;
        }
        Matcher m = STEP.matcher(line);
        if (!m.matches()) {
            return false;
        }
        String target = m.group(2);
        current = m.group(1) + " " + target;
        if (target.endsWith(".o") && !existing.contains(target)) {
            done++;
        }
        return true;
    }

    public long done() {
        return done;
    }

    /** Whether make reported an error ("make: *** ... Error N"). */
    public boolean failed() {
        return failed;
    }

    /** One line: bar, percent and objects when the total is known, elapsed time, ETA, current step. */
    public String status(long elapsedNanos) {
        long secs = elapsedNanos / 1_000_000_000L;
        StringBuilder sb = new StringBuilder();
        if (total.isPresent() && total.getAsLong() > 0) {
            long t = total.getAsLong();
            // an estimate from another build: never claim 100% before make is done
            double f = Math.min(0.99, (double) done / t);
            int filled = (int) Math.round(f * BAR);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%  %d of about %d objects", (int) Math.floor(f * 100), done, t));
        } else {
            sb.append(done).append(" objects");
        }
        sb.append(String.format(Locale.ROOT, "  %dm%02ds", secs / 60, secs % 60));
        long fresh = done - startDone;
        if (total.isPresent() && fresh >= 20 && secs > 0 && done < total.getAsLong()) {
            long eta = (long) Math.ceil((total.getAsLong() - done) / (fresh / (double) secs));
            sb.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
        }
        if (!current.isEmpty()) {
            sb.append("  ").append(current);
        }
        return sb.toString();
    }

    /** The objects there before make started: more than zero when a build resumes. */
    public long resumedFrom() {
        return startDone;
    }
}
