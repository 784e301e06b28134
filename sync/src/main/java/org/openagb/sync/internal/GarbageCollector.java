package org.openagb.sync.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openagb.storage.ObjectInfo;
import org.openagb.storage.ObjectNotFoundException;
import org.openagb.storage.ObjectStore;
import org.openagb.sync.ContextVersion;
import org.openagb.sync.GcResult;
import org.openagb.sync.Head;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.VersionRetention;

/**
 * Mark and sweep of one context's objects. Safe against concurrent commits by a grace period instead of locks: an
 * object is deleted only if no kept manifest references it <em>and</em> it is older than the grace cutoff. An upload
 * writes its blobs and its manifest before it commits, all younger than the cutoff while it runs (uploads are shorter
 * than the grace period), and a commit racing the collector only references blobs it wrote or that the head it merged
 * with references — which the collector marked (it reads the head first). A reader that started on a superseded head
 * is covered too: the manifest that was current when the grace period began, and every younger one, are kept with
 * their blobs. Versions that the {@link VersionRetention} keeps are marked too. Memory: the set of distinct live blob keys (small files share pack objects, so far fewer than entries).
 */
public final class GarbageCollector {
    private final ObjectStore store;
    private final Manifests manifests;
    private final VersionRetention retention;

    public GarbageCollector(ObjectStore store, Manifests manifests, VersionRetention retention) {
        this.store = store;
        this.manifests = manifests;
        this.retention = retention;
    }

    public GcResult collect(String contextId, Instant cutoff) {
        Head head = manifests.head(contextId);
        List<ObjectInfo> manifestObjects = new ArrayList<>(store.list(Manifests.manifestPrefix(contextId)));
        manifestObjects.sort(Comparator.comparing(ObjectInfo::lastModified));
        Set<String> kept = new HashSet<>();
        if (head.manifestKey() != null) {
            kept.add(head.manifestKey());
        }
        ObjectInfo currentAtCutoff = null;
        for (ObjectInfo m : manifestObjects) {
            if (m.lastModified().isAfter(cutoff)) {
                kept.add(m.key());
            } else {
                currentAtCutoff = m;
            }
        }
        if (currentAtCutoff != null) {
            kept.add(currentAtCutoff.key());
        }
        // Versions: those retained at any moment since the cutoff keep their manifests (a restore or a mount that
        // started on one within the grace period needs its blobs); the others are forgotten, and their manifests
        // are collected like any superseded one.
        List<ContextVersion> versions = manifests.heads().versions(contextId);
        Set<Long> keptVersions = retention.keptByCollectionAt(versions, cutoff);
        List<Long> forget = new ArrayList<>();
        for (ContextVersion v : versions) {
            if (keptVersions.contains(v.generation()) || v.generation() == head.generation()) {
                if (v.manifestKey() != null) {
                    kept.add(v.manifestKey());
                }
            } else {
                forget.add(v.generation());
            }
        }
        int forgotten = forget.isEmpty() ? 0 : manifests.heads().forgetVersions(contextId, forget);
        Set<String> live = new HashSet<>();
        int marked = 0;
        for (String key : kept) {
            if (mark(key, head, live)) {
                marked++;
            }
        }
        long blobsDeleted = 0;
        long manifestsDeleted = 0;
        long bytes = 0;
        long young = 0;
        for (ObjectInfo blob : store.list(Manifests.blobPrefix(contextId))) {
            if (live.contains(blob.key())) {
                continue;
            }
            if (blob.lastModified().isAfter(cutoff)) {
                young++;
                continue;
            }
            store.delete(blob.key());
            blobsDeleted++;
            bytes += blob.size();
        }
        for (ObjectInfo m : manifestObjects) {
            if (kept.contains(m.key())) {
                continue;
            }
            store.delete(m.key());
            manifestsDeleted++;
            bytes += m.size();
        }
        return new GcResult(marked, live.size(), blobsDeleted, manifestsDeleted, bytes, young, forgotten);
    }

    /** Adds the blob keys of a manifest to {@code live}; false if the manifest is gone (superseded meanwhile). */
    private boolean mark(String manifestKey, Head head, Set<String> live) {
        try (ManifestReader r = manifests.open(new Head(Math.max(1, head.generation()), manifestKey))) {
            while (r.hasNext()) {
                ManifestEntry e = r.next();
                if (e.blob() != null) {
                    live.add(e.blob().objectKey());
                }
            }
            return true;
        } catch (RuntimeException e) {
            if (e.getCause() instanceof ObjectNotFoundException) {
                return false;
            }
            throw e;
        }
    }
}
