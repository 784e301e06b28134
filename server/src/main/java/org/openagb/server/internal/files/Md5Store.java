package org.openagb.server.internal.files;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The MD5 of stored blobs, for the {@code ETag} of presigned-URL PUT and GET (the manifest keeps a fast
 * non-cryptographic hash only). Keyed by the blob's object key and offset: blobs are immutable, so an entry never
 * goes stale; rows of a deleted context are removed with it.
 */
public final class Md5Store {
    private final Jdbi jdbi;

    public Md5Store(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<String> find(String objectKey, long offset) {
        return jdbi.withHandle(h -> h.createQuery("SELECT md5 FROM blob_md5 WHERE object_key = :k AND blob_offset = :o")
                .bind("k", objectKey)
                .bind("o", offset)
                .mapTo(String.class)
                .findOne());
    }

    public void put(String contextId, String objectKey, long offset, long length, String md5) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO blob_md5 (object_key, blob_offset, length, context_id, md5)"
                        + " VALUES (:k, :o, :l, :c, :m) ON CONFLICT (object_key, blob_offset) DO UPDATE SET md5 = :m")
                .bind("k", objectKey)
                .bind("o", offset)
                .bind("l", length)
                .bind("c", contextId)
                .bind("m", md5)
                .execute());
    }

    public void deleteContext(String contextId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM blob_md5 WHERE context_id = :c")
                .bind("c", contextId)
                .execute());
    }
}
