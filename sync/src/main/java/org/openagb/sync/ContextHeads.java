package org.openagb.sync;

import java.util.Collection;
import java.util.List;

/**
 * Where the current {@link Head} of each context is kept, with the history of the generations committed: in
 * production the server's database, in tests {@link InMemoryContextHeads}. Implementations are thread-safe and make
 * {@link #compareAndSet(String, long, Head, VersionStats)} atomic: the generation, the manifest key and the mode of
 * {@code next} replace the current ones together or not at all, and a winning commit is recorded as a {@link
 * ContextVersion} in the same step (a losing one leaves no trace). {@code ContextHeadsContract} (in this module's
 * test jar) is the test every implementation passes.
 */
public interface ContextHeads {

    /** The current head; {@link Head#EMPTY} for a context never committed. */
    Head head(String contextId);

    /**
     * Replaces the head with {@code next} if and only if the current generation is {@code expectedGeneration}, and
     * records {@code next} as a version committed now, with {@code stats}.
     *
     * @return true if replaced, false if another commit changed the head first
     */
    boolean compareAndSet(String contextId, long expectedGeneration, Head next, VersionStats stats);

    /** {@link #compareAndSet(String, long, Head, VersionStats)} with stats not recorded. */
    default boolean compareAndSet(String contextId, long expectedGeneration, Head next) {
        return compareAndSet(contextId, expectedGeneration, next, VersionStats.UNKNOWN);
    }

    /** The recorded versions of the context, newest first (empty for a context never committed). */
    List<ContextVersion> versions(String contextId);

    /** Forgets the recorded versions of these generations (the head's own record is never passed); returns how many. */
    int forgetVersions(String contextId, Collection<Long> generations);
}
