package org.openagb.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which versions of a context are kept: the current head, the {@code keepLast} newest generations, and every
 * generation committed less than {@code keepFor} ago. Only retained versions can be listed, diffed, restored and
 * mounted; garbage collection keeps their manifests and blobs and forgets the others (docs/versions.md).
 *
 * @param keepLast how many of the newest generations are kept whatever their age ({@code >= 0})
 * @param keepFor how long every generation is kept after its commit ({@code >= 0})
 */
public record VersionRetention(int keepLast, Duration keepFor) {
    /** 10 generations, and every generation of the last 24 hours. */
    public static final VersionRetention DEFAULT = new VersionRetention(10, Duration.ofDays(1));

    /** Only the current head: no history (garbage collection behaves as if versions did not exist). */
    public static final VersionRetention NONE = new VersionRetention(0, Duration.ZERO);

    public VersionRetention {
        if (keepLast < 0) {
            throw new IllegalArgumentException("keepLast (" + keepLast + ") must be >= 0 (0 keeps only the head)");
        }
        Objects.requireNonNull(keepFor, "keepFor");
        if (keepFor.isNegative()) {
            throw new IllegalArgumentException("keepFor (" + keepFor + ") must be >= 0");
        }
    }

    /**
     * The generations retained at time {@code at}, among the versions committed by then: the newest of them (the
     * head at that time), the {@code keepLast} newest, and those committed after {@code at - keepFor}.
     *
     * @param newestFirst the recorded versions, newest first
     */
    public Set<Long> retainedAt(List<ContextVersion> newestFirst, Instant at) {
        Set<Long> kept = new HashSet<>();
        Instant youngAfter = at.minus(keepFor);
        int seen = 0;
        for (ContextVersion v : newestFirst) {
            if (v.committedAt().isAfter(at)) {
                continue;
            }
            seen++;
            if (seen == 1 || seen <= keepLast || v.committedAt().isAfter(youngAfter)) {
                kept.add(v.generation());
            }
        }
        return kept;
    }

    /**
     * The generations garbage collection must keep when its grace period began at {@code cutoff}: those retained at
     * the cutoff, and every one committed after it. Whatever was retained at any moment since the cutoff is among
     * them, so a restore or a mount that started on a retained version within the grace period finds its blobs.
     */
    public Set<Long> keptByCollectionAt(List<ContextVersion> newestFirst, Instant cutoff) {
        Set<Long> kept = retainedAt(newestFirst, cutoff);
        for (ContextVersion v : newestFirst) {
            if (v.committedAt().isAfter(cutoff)) {
                kept.add(v.generation());
            }
        }
        return kept;
    }
}
