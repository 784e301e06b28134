package org.openagb.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A flat store of immutable-looking byte objects addressed by string keys, in the spirit of S3.
 *
 * <p>Keys are {@code '/'}-separated relative strings such as {@code blobs/<ctx>/<uuid>}. A key must not be empty,
 * start or end with {@code '/'}, contain an empty, {@code "."} or {@code ".."} component, a backslash or a NUL
 * character; every method rejects such a key with a {@link StorageException} naming it.
 *
 * <p>Implementations are thread-safe. Streams returned by {@code get} must be closed by the caller.
 */
public interface ObjectStore {

    /**
     * Stores exactly {@code length} bytes read from {@code data} under {@code key}, replacing any existing object.
     * The object becomes visible atomically when this method returns: a concurrent reader sees either the old or
     * the new content, never a partial one. The stream is read but not closed.
     *
     * @throws StorageException if the key is invalid, the stream holds fewer or more than {@code length} bytes
     *     (nothing is stored then), or the store fails
     */
    void put(String key, InputStream data, long length);

    /**
     * Starts a streaming write of {@code key} for data whose length is not known up front (an S3 implementation
     * uses a multipart upload). Nothing is visible until {@link ObjectWriter#commit()}; then the object appears
     * atomically, replacing any existing one. Closing the writer without committing discards the data.
     *
     * <pre>{@code
     * try (ObjectWriter w = store.create(key)) {
     *     produce(w);
     *     w.commit();
     * }
     * }</pre>
     *
     * @throws StorageException if the key is invalid or the write cannot be started
     */
    ObjectWriter create(String key);

    /**
     * Opens the whole object for reading.
     *
     * @throws ObjectNotFoundException if no object has this key
     */
    InputStream get(String key);

    /**
     * Opens {@code length} bytes of the object starting at {@code offset}.
     *
     * @throws ObjectNotFoundException if no object has this key
     * @throws StorageException if the range is negative or extends past the end of the object
     */
    InputStream get(String key, long offset, long length);

    /** Returns the object's metadata, or empty if no object has this key. */
    Optional<ObjectInfo> stat(String key);

    /** Deletes the object; does nothing if it does not exist. */
    void delete(String key);

    /**
     * Lists the objects whose key starts with {@code prefix} (a plain string prefix, as in S3: {@code "a/b"}
     * matches {@code a/b/c} and {@code a/bc}), sorted by key. The empty prefix lists everything.
     */
    List<ObjectInfo> list(String prefix);

    /** Convenience: {@link #stat} is present. */
    default boolean exists(String key) {
        Optional<ObjectInfo> info = stat(key);
        return info.isPresent();
    }
}
