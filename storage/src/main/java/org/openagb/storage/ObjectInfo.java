package org.openagb.storage;

import java.time.Instant;
import java.util.Objects;

/** Metadata of one stored object. */
public record ObjectInfo(String key, long size, Instant lastModified) {
    public ObjectInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastModified, "lastModified");
        if (size < 0) {
            throw new IllegalArgumentException("size (" + size + ") must be >= 0");
        }
    }
}
