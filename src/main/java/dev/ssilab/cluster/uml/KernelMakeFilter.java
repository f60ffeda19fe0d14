package dev.ssilab.cluster.uml;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * {@code make ARCH=um linux 2>&1 | ssilab kernel progress}: folds kbuild's thousand step lines into one
 * status line (redrawn on a terminal, printed every 30 s elsewhere), passes everything else through
 * (warnings, errors), and says at the end whether the kernel was built. Exits 2 when make reported an
 * error, so a pipeline still fails when the build does.
 */
public final class KernelMakeFilter {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long PLAIN_EVERY_NANOS = 30_000_000_000L;

    private final Path tree;
    private final KernelSource sources;
    private final PrintStream out;
    private final boolean redraw;
    private final LongSupplier clock;

    /**
     * @param tree the kernel source tree make runs in
     * @param redraw true on a terminal (one status line redrawn in place), false in a log or a pipe
     */
    public KernelMakeFilter(Path tree, KernelSource sources, PrintStream out, boolean redraw, LongSupplier clock) {
        this.tree = tree.toAbsolutePath().normalize();
        this.sources = sources;
        this.out = out;
        this.redraw = redraw;
        this.clock = clock;
    }

    /** Reads make's output to its end; returns 0, or 2 when make reported an error. */
    public int run(BufferedReader in) {
        String version = KernelBuildProgress.treeVersion(tree).orElse(null);
        OptionalLong total = version == null ? OptionalLong.empty() : sources.objects(version);
        java.util.Set<String> existing = KernelBuildProgress.objectsIn(tree);
        KernelBuildProgress progress = new KernelBuildProgress(existing, total);
        long start = clock.getAsLong();
        FileTime startTime = FileTime.fromMillis(System.currentTimeMillis() - 1000);
        // configuring builds a few host tools (scripts/): only the kernel's own objects mean a build resumes
        long kept = existing.stream().filter(o -> !o.startsWith("scripts/")).count();
        if (kept > 0) {
            say(kept + (kept == 1 ? " object file of the kernel is" : " object files of the kernel are")
                    + " there already (an earlier build): make builds only the rest.");
        }
        if (total.isEmpty()) {
            say("(No earlier build of this kernel version to compare with: counting objects without a total.)");
        }
        long lastDraw = Long.MIN_VALUE;
        boolean lineShown = false;
        try {
            String line;
            while ((line = in.readLine()) != null) {
                boolean step = progress.accept(line);
                long now = clock.getAsLong();
                if (!step) {
                    if (lineShown) {
                        out.print("\r\u001b[K");
                        lineShown = false;
                    }
                    out.println(line);
                    if (redraw && lastDraw != Long.MIN_VALUE) {
                        out.print(progress.status(now - start) + "\u001b[K");
                        lineShown = true;
                    }
                } else if (redraw) {
                    if (lastDraw == Long.MIN_VALUE || now - lastDraw >= REDRAW_NANOS) {
                        out.print("\r" + progress.status(now - start) + "\u001b[K");
                        lineShown = true;
                        lastDraw = now;
                    }
                } else if (lastDraw == Long.MIN_VALUE || now - lastDraw >= PLAIN_EVERY_NANOS) {
                    out.println("  ... " + progress.status(now - start));
                    lastDraw = now;
                }
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long now = clock.getAsLong();
        if (lineShown) {
            out.print("\r" + progress.status(now - start) + "\u001b[K\n");
        }
        long secs = (now - start) / 1_000_000_000L;
        String took = String.format("%dm%02ds", secs / 60, secs % 60);
        if (progress.failed()) {
            say("The kernel build FAILED after " + took + ": the error is in make's lines above (search for 'error:').");
            out.flush();
            return 2;
        }
        Path kernel = tree.resolve("linux");
        if (isNewerThan(kernel, startTime)) {
            long objects = KernelSource.countObjects(tree);
            say("Kernel built: " + kernel + " (" + objects + " objects, " + took + ").");
            if (version != null && total.isEmpty()) {
                sources.recordObjects(version, objects);
            }
        } else {
            say("make ended after " + took + " without linking a new " + kernel
                    + (Files.isRegularFile(kernel) ? " (it was up to date)" : "") + ".");
        }
        out.flush();
        return 0;
    }

    private void say(String line) {
        out.println("ssilab: " + line);
    }

    private static boolean isNewerThan(Path file, FileTime time) {
        try {
            return Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(time) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
