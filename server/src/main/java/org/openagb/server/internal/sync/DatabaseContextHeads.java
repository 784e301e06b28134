package org.openagb.server.internal.sync;

import org.openagb.server.internal.context.ContextStore;
import org.openagb.sync.ContextHeads;
import org.openagb.sync.Head;

/** Context heads kept in the metadata database: a commit is one conditional UPDATE on the generation. */
public final class DatabaseContextHeads implements ContextHeads {
    private final ContextStore contexts;

    public DatabaseContextHeads(ContextStore contexts) {
        this.contexts = contexts;
    }

    @Override
    public Head head(String contextId) {
        return contexts.byIdAnyTenant(contextId)
                .map(c -> new Head(c.generation(), c.generation() == 0 ? null : c.manifestKey()))
                .orElse(Head.EMPTY);
    }

    @Override
    public boolean compareAndSet(String contextId, long expectedGeneration, Head next) {
        return contexts.compareAndSetHead(contextId, expectedGeneration, next.generation(), next.manifestKey());
    }
}
