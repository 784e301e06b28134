package org.openagb.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A streaming write of one object whose length is not known up front, returned by {@link ObjectStore#create}.
 * Bytes written are invisible to readers until {@link #commit()} returns, which makes the whole object visible
 * atomically (replacing any object with the same key). {@link #abort()} discards them.
 *
 * <p>{@link #close()} without a prior {@code commit()} <b>aborts</b>: an exception thrown inside a
 * try-with-resources block never leaves a partial object behind. After {@code commit()} or {@code abort()},
 * {@code close()} does nothing and writes throw {@link IOException}. Not thread-safe: one writer thread.
 */
public abstract class ObjectWriter extends OutputStream {
    /** The key being written. */
    public abstract String key();

    /** Bytes written so far. */
    public abstract long size();

    /**
     * Makes the object visible under its key.
     *
     * @throws StorageException if the object cannot be stored (nothing is stored then) or the writer was aborted
     */
    public abstract void commit();

    /** Discards what was written; does nothing after {@link #commit()} or a previous abort. Never throws. */
    public abstract void abort();

    /** Aborts unless committed. */
    @Override
    public void close() {
        abort();
    }
}
