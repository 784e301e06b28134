package org.openagb.sandbox.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openagb.sandbox.SessionLimits;

/**
 * Measures how many bytes a session's writable directories hold: the sizes of regular files (and symlinks), walked
 * without following symlinks. A hard link counts once per name, a sparse file with its apparent size.
 *
 * <p>A measurement is cached; {@link #measureAfterChange()} measures again at most every {@link #MIN_INTERVAL_NANOS}
 * (or ten times as long as the last walk took, for big trees) and otherwise schedules a measurement for when that
 * interval has passed. Thread safe.
 */
public final class DiskMeter {
    static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);

    private final List<Path> roots;
    private final long quotaBytes;
    private final ScheduledExecutorService background;
    private final Object lock = new Object();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long usedBytes = -1;
    private volatile long measuredAt;
    private volatile boolean dirty = true;
    private volatile long lastWalkNanos;

    public DiskMeter(List<Path> roots, long quotaBytes, ScheduledExecutorService background) {
        this.roots = List.copyOf(roots);
        this.quotaBytes = quotaBytes;
        this.background = background;
    }

    /** The quota in bytes; {@code 0} means none. */
    public long quotaBytes() {
        return quotaBytes;
    }

    /** The last measured usage; measures now if there is none yet, or if it is stale and the interval passed. */
    public long usedBytes() {
        if (usedBytes < 0 || (dirty && System.nanoTime() - measuredAt >= interval())) {
            measure();
        }
        return usedBytes;
    }

    /** Whether usage is over the quota. */
    public boolean overQuota() {
        return wouldExceed(0);
    }

    /**
     * Whether writing {@code moreBytes} more would exceed the quota. Decides on the cached measurement, except that
     * a refusal is always based on a measurement taken after the last change.
     */
    public boolean wouldExceed(long moreBytes) {
        if (quotaBytes <= 0) {
            return false;
        }
        long more = Math.max(0, moreBytes);
        long used = usedBytes();
        if (used + more > quotaBytes && dirty) {
            used = measure();
        }
        return used + more > quotaBytes;
    }

    /** {@code the session uses X of its Y disk quota}. */
    public String usageText() {
        return "the session uses " + SessionLimits.format(usedBytes()) + " of its " + SessionLimits.format(quotaBytes)
                + " disk quota";
    }

    /**
     * The files may have changed: measures now if the last measurement is at least the minimum interval old,
     * otherwise schedules one for then.
     */
    public void measureAfterChange() {
        dirty = true;
        long age = System.nanoTime() - measuredAt;
        long interval = interval();
        if (usedBytes < 0 || age >= interval) {
            measure();
        } else if (background != null && scheduled.compareAndSet(false, true)) {
            try {
                background.schedule(
                        () -> {
                            scheduled.set(false);
                            measure();
                        },
                        interval - age,
                        TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                scheduled.set(false); // shut down: the next check measures
            }
        }
    }

    /** Background refresh: measures if the last measurement is older than {@code maxAgeNanos}. */
    public void refreshIfOlderThan(long maxAgeNanos) {
        if (usedBytes < 0 || System.nanoTime() - measuredAt >= Math.max(maxAgeNanos, interval())) {
            measure();
        }
    }

    /** The minimum time between walks: 1 s, or ten times the last walk's duration. */
    private long interval() {
        return Math.max(MIN_INTERVAL_NANOS, 10 * lastWalkNanos);
    }

    /** Walks the roots now. */
    public long measure() {
        synchronized (lock) {
            long started = System.nanoTime();
            dirty = false;
            long[] total = {0};
            for (Path root : roots) {
                if (!Files.isDirectory(root)) {
                    continue;
                }
                try {
                    Files.walkFileTree(root, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                                total[0] += attrs.size();
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException exc) {
                            return FileVisitResult.CONTINUE; // deleted meanwhile, or unreadable
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
                } catch (IOException e) {
                    // The visitor swallows per-file errors; nothing else throws.
                }
            }
            usedBytes = total[0];
            measuredAt = started;
            lastWalkNanos = System.nanoTime() - started;
            return total[0];
        }
    }
}
