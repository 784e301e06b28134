package org.openagb.sync.internal;

import java.util.Collection;
import java.util.List;
import org.openagb.sync.ContextHeads;
import org.openagb.sync.ContextVersion;
import org.openagb.sync.Head;
import org.openagb.sync.SyncException;
import org.openagb.sync.VersionStats;

/**
 * Heads as they were at one version of one context, read-only: a download through them materialises that version;
 * any commit is refused. Used for read-only mounts of past versions.
 */
final class PinnedHeads implements ContextHeads {
    private final ContextHeads delegate;
    private final String contextId;
    private final Head pinned;

    PinnedHeads(ContextHeads delegate, String contextId, Head pinned) {
        this.delegate = delegate;
        this.contextId = contextId;
        this.pinned = pinned;
    }

    @Override
    public Head head(String id) {
        return id.equals(contextId) ? pinned : delegate.head(id);
    }

    @Override
    public boolean compareAndSet(String id, long expectedGeneration, Head next, VersionStats stats) {
        throw new SyncException("Cannot commit to context '" + id + "': version " + pinned.generation()
                + " is mounted read-only (restore it as a new generation to change it)");
    }

    @Override
    public List<ContextVersion> versions(String id) {
        return delegate.versions(id);
    }

    @Override
    public int forgetVersions(String id, Collection<Long> generations) {
        throw new SyncException("Cannot forget versions of context '" + id + "' through a read-only mount");
    }
}
