package org.openagb.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line transfer progress bar on stderr: bytes done and total, rate and ETA, redrawn in place with {@code \r}. It
 * draws only when enabled (a terminal) and only once the transfer has run for {@code delay}, so short transfers and
 * piped output stay clean. Thread-safe: HTTP clients report progress on their own threads.
 */
final class ProgressBar {
    private static final long REDRAW_NANOS = Duration.ofMillis(100).toNanos();
    private static final int BAR_WIDTH = 24;

    private final String label;
    private final PrintStream err;
    private final boolean enabled;
    private final long delayNanos;
    private final long start = System.nanoTime();
    private volatile long total;
    private long done;
    private long lastDraw;
    private int lastWidth;
    private boolean drawn;

    ProgressBar(String label, long total, PrintStream err, boolean enabled, Duration delay) {
        this.label = label;
        this.total = total;
        this.err = err;
        this.enabled = enabled;
        this.delayNanos = delay.toNanos();
    }

    /** Sets the size once it is known ({@code -1}: unknown). */
    void total(long total) {
        this.total = total;
    }

    /** Reports {@code bytes} more done. */
    synchronized void advance(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (enabled && now - start >= delayNanos && now - lastDraw >= REDRAW_NANOS) {
            draw(now);
        }
    }

    /** Draws the final state and ends the line, if the bar was ever drawn. */
    synchronized void finish() {
        if (drawn) {
            draw(System.nanoTime());
            err.println();
            err.flush();
        }
    }

    private void draw(long now) {
        String line = render(label, done, total, now - start);
        err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        err.flush();
        lastWidth = line.length();
        lastDraw = now;
        drawn = true;
    }

    /** The bar's text for {@code done} of {@code total} bytes ({@code -1}: unknown) after {@code elapsedNanos}. */
    static String render(String label, long done, long total, long elapsedNanos) {
        double seconds = Math.max(elapsedNanos, 1) / 1e9;
        double rate = done / seconds;
        StringBuilder line = new StringBuilder(label).append(' ');
        if (total > 0) {
            int filled = (int) Math.min(BAR_WIDTH, BAR_WIDTH * done / total);
            line.append('[')
                    .append("=".repeat(filled))
                    .append(filled < BAR_WIDTH ? ">" : "")
                    .append(" ".repeat(Math.max(0, BAR_WIDTH - filled - 1)))
                    .append("] ")
                    .append(String.format(Locale.ROOT, "%3d%% ", Math.min(100, 100 * done / total)))
                    .append(bytes(done))
                    .append(" / ")
                    .append(bytes(total));
        } else {
            line.append(bytes(done));
        }
        line.append("  ").append(bytes((long) rate)).append("/s");
        if (total > 0 && done < total && rate > 0) {
            line.append("  ETA ").append(duration((long) Math.ceil((total - done) / rate)));
        }
        return line.toString();
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 12.0 MiB}, … */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** {@code 7s}, {@code 2m05s}, {@code 1h02m}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
