package org.openagb.server.internal.recycle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.openagb.storage.ObjectStore;
import org.openagb.sync.ContextHeads;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.EntryType;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.SyncOptions;
import org.openagb.sync.internal.Manifests;

/**
 * Removes the entries of a context that match a predicate, in ONE compare-and-set manifest commit.
 *
 * <p>The predicate is evaluated inside the commit, against the head being replaced, and again on every retry, so an
 * entry re-uploaded by a concurrent commit is judged by its new state and never removed by a stale decision. A
 * directory entry that matches is kept while something below it is kept (folders are implicit, but an explicit
 * entry carries mode and mtime). Blobs are not deleted here: unreferenced blobs are left to garbage collection.
 *
 * <p>NOTE: {@code SyncEngine} (sync module) has no public "remove these entries atomically" operation yet, so this
 * uses the engine's own commit primitive ({@code org.openagb.sync.internal.Manifests#commit}) over the same object
 * store, heads and options as the engine. Replace the body of {@link #remove} with
 * {@code engine.removeEntries(contextId, predicate)} once the sync module offers it.
 */
public final class ManifestPruner {
    private final Manifests manifests;

    public ManifestPruner(ObjectStore objects, ContextHeads heads, SyncOptions options) {
        this.manifests = new Manifests(objects, heads, options);
    }

    /** Removes every entry matching {@code remove}; returns how many entries the winning commit removed. */
    public long remove(String contextId, Predicate<ManifestEntry> remove) {
        AtomicLong removed = new AtomicLong();
        manifests.commit(contextId, (current, next) -> {
            long n = 0;
            Deque<ManifestEntry> held = new ArrayDeque<>(); // matching directories, each an ancestor of the next
            while (current.hasNext()) {
                ManifestEntry e = current.next();
                while (!held.isEmpty()
                        && !ContextPaths.isUnder(e.path(), held.peekLast().path())) {
                    held.removeLast();
                    n++;
                }
                if (remove.test(e)) {
                    if (e.type() == EntryType.DIRECTORY) {
                        held.addLast(e);
                    } else {
                        n++;
                    }
                } else {
                    for (ManifestEntry ancestor : held) {
                        next.write(ancestor);
                    }
                    held.clear();
                    next.write(e);
                }
            }
            n += held.size();
            removed.set(n);
            return n > 0;
        });
        return removed.get();
    }
}
