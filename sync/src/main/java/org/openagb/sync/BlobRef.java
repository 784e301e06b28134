package org.openagb.sync;

import java.util.Objects;

/**
 * Where a file's content lives: {@code length} bytes at {@code offset} in the object {@code objectKey}. Several
 * small files may share one (packed) object. Blobs are immutable once referenced.
 */
public record BlobRef(String objectKey, long offset, long length) {
    public BlobRef {
        Objects.requireNonNull(objectKey, "objectKey");
        if (objectKey.isEmpty()) {
            throw new IllegalArgumentException("objectKey must not be empty");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset (" + offset + ") must be >= 0");
        }
        if (length <= 0) {
            throw new IllegalArgumentException("length (" + length + ") must be > 0 (empty files have no blob)");
        }
    }
}
