package org.openagb.sync;

import java.util.UUID;

/** {@link ContextHeadsContract} on {@link InMemoryContextHeads}. */
class InMemoryContextHeadsTest extends ContextHeadsContract {
    private final InMemoryContextHeads heads = new InMemoryContextHeads();

    @Override
    protected ContextHeads heads() {
        return heads;
    }

    @Override
    protected String newContext() {
        return "SdkCtx-" + UUID.randomUUID();
    }
}
