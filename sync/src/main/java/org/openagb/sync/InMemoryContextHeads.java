package org.openagb.sync;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** {@link ContextHeads} in a map, per instance. Thread-safe. Requires each new generation to be higher. */
public final class InMemoryContextHeads implements ContextHeads {
    private final ConcurrentMap<String, Head> heads = new ConcurrentHashMap<>();

    @Override
    public Head head(String contextId) {
        return heads.getOrDefault(contextId, Head.EMPTY);
    }

    @Override
    public boolean compareAndSet(String contextId, long expectedGeneration, Head next) {
        if (next.generation() <= expectedGeneration) {
            throw new IllegalArgumentException("next generation (" + next.generation()
                    + ") must be greater than the expected generation (" + expectedGeneration + ")");
        }
        boolean[] done = {false};
        heads.compute(contextId, (id, current) -> {
            Head cur = current == null ? Head.EMPTY : current;
            if (cur.generation() == expectedGeneration) {
                done[0] = true;
                return next;
            }
            return current;
        });
        return done[0];
    }
}
