package org.openagb.sync;

/**
 * Where the current {@link Head} of each context is kept: in production the server's database, in tests {@link
 * InMemoryContextHeads}. Implementations are thread-safe and make {@link #compareAndSet} atomic: the generation,
 * the manifest key and the mode of {@code next} replace the current ones together or not at all.
 * {@code ContextHeadsContract} (in this module's test jar) is the test every implementation passes.
 */
public interface ContextHeads {

    /** The current head; {@link Head#EMPTY} for a context never committed. */
    Head head(String contextId);

    /**
     * Replaces the head with {@code next} if and only if the current generation is {@code expectedGeneration}.
     *
     * @return true if replaced, false if another commit changed the head first
     */
    boolean compareAndSet(String contextId, long expectedGeneration, Head next);
}
