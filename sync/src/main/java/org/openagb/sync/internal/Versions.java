package org.openagb.sync.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.ContextVersion;
import org.openagb.sync.Head;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.RestoreResult;
import org.openagb.sync.VersionChange;
import org.openagb.sync.VersionDiff;
import org.openagb.sync.VersionNotFoundException;
import org.openagb.sync.VersionRetention;
import org.openagb.sync.VersionStats;

/**
 * A context's retained versions: listing, lookup with errors that say why a generation is not there, streamed diffs
 * (a sorted merge of two manifests, never a tree on the heap) and restores (an ordinary compare-and-set commit whose
 * manifest holds the old version's entries).
 */
public final class Versions {
    private final Manifests manifests;
    private final VersionRetention retention;
    private final Clock clock;

    public Versions(Manifests manifests, VersionRetention retention, Clock clock) {
        this.manifests = manifests;
        this.retention = retention;
        this.clock = clock;
    }

    /** The retained versions, newest first; stats not recorded at commit are counted from the manifest. */
    public List<ContextVersion> retained(String contextId) {
        List<ContextVersion> all = manifests.heads().versions(contextId);
        Set<Long> kept = retention.retainedAt(all, clock.instant());
        List<ContextVersion> out = new ArrayList<>();
        for (ContextVersion v : all) {
            if (kept.contains(v.generation())) {
                out.add(v.stats().known() ? v : withCountedStats(v));
            }
        }
        return out;
    }

    private ContextVersion withCountedStats(ContextVersion v) {
        long files = 0;
        long bytes = 0;
        try (ManifestReader r = manifests.open(v.head())) {
            while (r.hasNext()) {
                ManifestEntry e = r.next();
                if (e.type() == org.openagb.sync.EntryType.FILE) {
                    files++;
                    bytes += e.size();
                }
            }
        }
        return new ContextVersion(
                v.generation(), v.manifestKey(), v.mode(), v.committedAt(), new VersionStats(files, bytes));
    }

    /**
     * The retained version {@code generation}.
     *
     * @throws VersionNotFoundException naming the generation, why it is not there and which ones are
     */
    public ContextVersion require(String contextId, long generation) {
        List<ContextVersion> all = manifests.heads().versions(contextId);
        Set<Long> kept = retention.retainedAt(all, clock.instant());
        ContextVersion found = null;
        for (ContextVersion v : all) {
            if (v.generation() == generation) {
                found = v;
            }
        }
        if (found != null && kept.contains(generation)) {
            return found;
        }
        Head head = manifests.head(contextId);
        String prefix = "Cannot use version " + generation + " of context '" + contextId + "': ";
        String keptNow = keptList(all, kept);
        if (generation < 1) {
            throw new VersionNotFoundException(prefix + "generations start at 1 (" + keptNow + ")");
        }
        if (generation > head.generation()) {
            throw new VersionNotFoundException(prefix + "the context is at generation " + head.generation()
                    + ", there is no such version yet (" + keptNow + ")");
        }
        throw new VersionNotFoundException(prefix + "it was dropped by the retention (the last " + retention.keepLast()
                + " generations and those younger than " + describe(retention) + " are kept; " + keptNow + ")");
    }

    private static String keptList(List<ContextVersion> all, Set<Long> kept) {
        List<Long> gens = new ArrayList<>();
        for (ContextVersion v : all) {
            if (kept.contains(v.generation())) {
                gens.add(v.generation());
            }
        }
        if (gens.isEmpty()) {
            return "the context has no versions";
        }
        java.util.Collections.sort(gens);
        return "kept now: "
                + (gens.size() <= 12
                        ? gens.toString().replace("[", "").replace("]", "")
                        : gens.get(0) + " … " + gens.get(gens.size() - 1) + " (" + gens.size() + " versions)");
    }

    private static String describe(VersionRetention r) {
        long hours = r.keepFor().toHours();
        if (hours > 0 && hours % 24 == 0) {
            return (hours / 24) + (hours == 24 ? " day" : " days");
        }
        return hours > 0 ? hours + " h" : r.keepFor().toSeconds() + " s";
    }

    /** One page of the differences from {@code from} to {@code to}, after the path {@code after} (null: from the start). */
    public VersionDiff diff(String contextId, long from, long to, String after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit (" + limit + ") must be >= 1");
        }
        ContextVersion a = require(contextId, from);
        ContextVersion b = require(contextId, to);
        List<VersionChange> changes = new ArrayList<>();
        String next = null;
        try (ManifestReader left = manifests.open(a.head());
                ManifestReader right = manifests.open(b.head())) {
            skip(left, after);
            skip(right, after);
            while (left.hasNext() || right.hasNext()) {
                ManifestEntry l = left.peek();
                ManifestEntry r = right.peek();
                int c = l == null ? 1 : r == null ? -1 : ContextPaths.compare(l.path(), r.path());
                VersionChange change;
                if (c < 0) {
                    change = new VersionChange.Removed(left.next());
                } else if (c > 0) {
                    change = new VersionChange.Added(right.next());
                } else {
                    left.next();
                    right.next();
                    change = ManifestEntry.sameContent(l, r) ? null : new VersionChange.Changed(l, r);
                }
                if (change == null) {
                    continue;
                }
                if (changes.size() == limit) {
                    next = changes.get(limit - 1).path();
                    break;
                }
                changes.add(change);
            }
        }
        return new VersionDiff(from, to, changes, next);
    }

    private static void skip(ManifestReader r, String after) {
        if (after == null) {
            return;
        }
        while (r.hasNext() && ContextPaths.compare(r.peek().path(), after) <= 0) {
            r.next();
        }
    }

    /**
     * Commits the content of {@code generation} as a new generation, under the usual compare-and-set (re-run when
     * another commit wins) and the version's mode claim. Entries whose whole state the head already has keep their
     * upload time; restored ones count as uploaded now (recycle rules judge them from the restore).
     */
    public RestoreResult restore(String contextId, long generation) {
        ContextVersion version = require(contextId, generation);
        long now = clock.millis();
        Manifests.Committed c =
                manifests.commit(contextId, version.mode(), "version " + generation, (current, next) -> {
                    boolean changed = false;
                    try (ManifestReader old = manifests.open(version.head())) {
                        while (old.hasNext()) {
                            ManifestEntry v = old.next();
                            while (current.hasNext()
                                    && ContextPaths.compare(current.peek().path(), v.path()) < 0) {
                                current.next();
                                changed = true;
                            }
                            ManifestEntry cur =
                                    current.hasNext() && current.peek().path().equals(v.path()) ? current.next() : null;
                            if (cur != null && sameExceptUploadTime(cur, v)) {
                                next.write(cur);
                            } else {
                                next.write(new ManifestEntry(
                                        v.path(),
                                        v.type(),
                                        v.size(),
                                        v.mtimeMillis(),
                                        v.mode(),
                                        v.hash(),
                                        v.blob(),
                                        v.linkTarget(),
                                        now));
                                changed = true;
                            }
                        }
                    }
                    while (current.hasNext()) {
                        current.next();
                        changed = true;
                    }
                    return changed;
                });
        return new RestoreResult(generation, c.head(), c.attempts() > 0);
    }

    private static boolean sameExceptUploadTime(ManifestEntry a, ManifestEntry b) {
        return a.type() == b.type()
                && a.size() == b.size()
                && a.mtimeMillis() == b.mtimeMillis()
                && a.mode() == b.mode()
                && a.hash() == b.hash()
                && Objects.equals(a.blob(), b.blob())
                && Objects.equals(a.linkTarget(), b.linkTarget());
    }
}
