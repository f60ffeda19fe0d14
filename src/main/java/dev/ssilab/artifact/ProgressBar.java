package dev.ssilab.artifact;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/** A one-line terminal progress bar: bytes, percent, rate and ETA, redrawn at most ten times a second. */
final class ProgressBar implements Progress {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 24;

    private final String label;
    private final long total;
    private final long already;
    private final PrintStream out;
    private final LongSupplier clock;
    private final long startNanos;
    private long lastDraw = Long.MIN_VALUE;
    private long done;

    ProgressBar(String label, long total, long already, PrintStream out, LongSupplier clock) {
        this.label = label.length() > 28 ? label.substring(0, 27) + "~" : label;
        this.total = total;
        this.already = already;
        this.out = out;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.done = already;
    }

    @Override
    public synchronized void update(long done) {
        this.done = done;
        long now = clock.getAsLong();
        if (lastDraw == Long.MIN_VALUE || now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            out.print("\r" + line(now) + "\u001b[K");
            out.flush();
        }
    }

    @Override
    public synchronized void close() {
        out.print("\r" + line(clock.getAsLong()) + "\u001b[K\n");
        out.flush();
    }

    String line(long now) {
        double secs = Math.max(1e-3, (now - startNanos) / 1e9);
        double rate = (done - already) / secs;
        StringBuilder sb = new StringBuilder(label);
        if (total > 0) {
            double f = Math.min(1.0, (double) done / total);
            int filled = (int) Math.round(f * BAR);
            sb.append(" [").append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%% ", (int) Math.floor(f * 100)))
                    .append(size(done)).append('/').append(size(total));
        } else {
            sb.append(' ').append(size(done));
        }
        sb.append("  ").append(size((long) rate)).append("/s");
        if (total > 0 && rate > 0 && done < total) {
            long eta = (long) Math.ceil((total - done) / rate);
            sb.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
        }
        return sb.toString();
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }
}
