package org.openagb.sync;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Tuning of a {@link SyncEngine}.
 *
 * @param parallelism object reads/writes in flight at once per operation (also the size of the engine's own pool)
 * @param packThreshold files smaller than this are packed together into shared objects
 * @param packTargetSize a pack is sent once it holds at least this many bytes; memory use of an upload is about
 *     {@code (parallelism + 1) * (packTargetSize + packThreshold)}
 * @param maxCommitAttempts how many times a commit is re-planned after losing the compare-and-set race
 * @param tempDir where temporary manifests are spooled
 * @param versionRetention which past generations are kept for listing, diffing, restoring and mounting (garbage
 *     collection keeps their objects)
 */
public record SyncOptions(
        int parallelism,
        long packThreshold,
        long packTargetSize,
        int maxCommitAttempts,
        Path tempDir,
        VersionRetention versionRetention) {
    public SyncOptions {
        if (parallelism < 1 || parallelism > 256) {
            throw new IllegalArgumentException("parallelism (" + parallelism + ") must be between 1 and 256");
        }
        if (packThreshold < 1 || packTargetSize < packThreshold || packTargetSize > 256L << 20) {
            throw new IllegalArgumentException("packThreshold (" + packThreshold
                    + ") must be >= 1 and <= packTargetSize (" + packTargetSize + ") <= 256 MiB");
        }
        if (maxCommitAttempts < 1) {
            throw new IllegalArgumentException("maxCommitAttempts (" + maxCommitAttempts + ") must be >= 1");
        }
        Objects.requireNonNull(tempDir, "tempDir");
        Objects.requireNonNull(versionRetention, "versionRetention");
    }

    /**
     * 4 in flight, files under 1 MiB packed into ~16 MiB objects, 10 commit attempts, the JVM's temp dir, {@link
     * VersionRetention#DEFAULT}.
     */
    public static SyncOptions defaults() {
        return new SyncOptions(
                4, 1 << 20, 16 << 20, 10, Path.of(System.getProperty("java.io.tmpdir")), VersionRetention.DEFAULT);
    }

    public SyncOptions withParallelism(int n) {
        return new SyncOptions(n, packThreshold, packTargetSize, maxCommitAttempts, tempDir, versionRetention);
    }

    public SyncOptions withPacking(long threshold, long targetSize) {
        return new SyncOptions(parallelism, threshold, targetSize, maxCommitAttempts, tempDir, versionRetention);
    }

    public SyncOptions withMaxCommitAttempts(int n) {
        return new SyncOptions(parallelism, packThreshold, packTargetSize, n, tempDir, versionRetention);
    }

    public SyncOptions withTempDir(Path dir) {
        return new SyncOptions(parallelism, packThreshold, packTargetSize, maxCommitAttempts, dir, versionRetention);
    }

    public SyncOptions withVersionRetention(VersionRetention retention) {
        return new SyncOptions(parallelism, packThreshold, packTargetSize, maxCommitAttempts, tempDir, retention);
    }
}
