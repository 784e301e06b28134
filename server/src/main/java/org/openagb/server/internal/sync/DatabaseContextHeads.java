package org.openagb.server.internal.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openagb.model.UploadMode;
import org.openagb.server.internal.context.ContextStore;
import org.openagb.sync.ContextHeads;
import org.openagb.sync.ContextVersion;
import org.openagb.sync.Head;
import org.openagb.sync.VersionStats;

/**
 * Context heads kept in the metadata database, in the context's row: a commit is one conditional UPDATE of
 * generation, manifest key and upload mode on the expected generation, and the insert of its {@code
 * context_versions} row, in one transaction.
 */
public final class DatabaseContextHeads implements ContextHeads {
    private final ContextStore contexts;

    public DatabaseContextHeads(ContextStore contexts) {
        this.contexts = contexts;
    }

    @Override
    public Head head(String contextId) {
        return contexts.byIdAnyTenant(contextId)
                .map(c -> c.generation() == 0 ? Head.EMPTY : new Head(c.generation(), c.manifestKey(), c.uploadMode()))
                .orElse(Head.EMPTY);
    }

    @Override
    public boolean compareAndSet(String contextId, long expectedGeneration, Head next, VersionStats stats) {
        return contexts.compareAndSetHead(
                contextId,
                expectedGeneration,
                next.generation(),
                next.manifestKey(),
                next.mode() == null ? null : next.mode().wireName(),
                stats.known() ? stats.files() : null,
                stats.known() ? stats.bytes() : null);
    }

    @Override
    public List<ContextVersion> versions(String contextId) {
        List<ContextVersion> out = new ArrayList<>();
        for (ContextStore.VersionRow r : contexts.versions(contextId)) {
            out.add(new ContextVersion(
                    r.generation(),
                    r.manifestKey(),
                    r.uploadMode() == null ? null : UploadMode.fromWireName(r.uploadMode()),
                    Instant.ofEpochMilli(r.committedAt()),
                    r.files() == null || r.bytes() == null
                            ? VersionStats.UNKNOWN
                            : new VersionStats(r.files(), r.bytes())));
        }
        return out;
    }

    @Override
    public int forgetVersions(String contextId, Collection<Long> generations) {
        return contexts.forgetVersions(contextId, generations);
    }
}
