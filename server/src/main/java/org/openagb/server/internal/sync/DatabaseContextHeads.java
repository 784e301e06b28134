package org.openagb.server.internal.sync;

import org.openagb.server.internal.context.ContextStore;
import org.openagb.sync.ContextHeads;
import org.openagb.sync.Head;

/**
 * Context heads kept in the metadata database, in the context's row: a commit is one conditional UPDATE of
 * generation, manifest key and upload mode on the expected generation.
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
    public boolean compareAndSet(String contextId, long expectedGeneration, Head next) {
        return contexts.compareAndSetHead(
                contextId,
                expectedGeneration,
                next.generation(),
                next.manifestKey(),
                next.mode() == null ? null : next.mode().wireName());
    }
}
