package org.openagb.sync;

import java.time.Instant;
import java.util.Objects;
import org.openagb.model.UploadMode;

/**
 * One committed generation of a context, as recorded by {@link ContextHeads} when its compare-and-set won. A version
 * names an immutable manifest, so restoring it or mounting it later sees exactly what was committed, as long as the
 * {@link VersionRetention} keeps it.
 *
 * @param generation the generation number (1, 2, …)
 * @param manifestKey the manifest object; null for an empty generation (after a clear, or when everything was deleted)
 * @param mode the upload mode the head was locked to at that commit (null: not locked yet)
 * @param committedAt when the commit won
 * @param stats files and bytes of the manifest ({@link VersionStats#UNKNOWN} when not recorded)
 */
public record ContextVersion(
        long generation, String manifestKey, UploadMode mode, Instant committedAt, VersionStats stats) {
    public ContextVersion {
        if (generation < 1) {
            throw new IllegalArgumentException("generation (" + generation + ") of a version must be >= 1");
        }
        Objects.requireNonNull(committedAt, "committedAt");
        stats = stats == null ? VersionStats.UNKNOWN : stats;
    }

    /** The head this version was. */
    public Head head() {
        return new Head(generation, manifestKey, mode);
    }
}
