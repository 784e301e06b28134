package org.openagb.sync;

import java.util.Optional;
import org.openagb.model.UploadMode;

/**
 * The committed state of a context: its generation, the key of its manifest object, and the upload mode the
 * context is locked to. {@code manifestKey} is null for an empty context (generation 0 for a context never written,
 * higher after a {@code clear}). {@code mode} is null until the first sync upload of a mount commits; from then on
 * every commit carries it forward, so the mode lock moves with the head under the same compare-and-set.
 */
public record Head(long generation, String manifestKey, UploadMode mode) {
    /** The head of a context that was never written. */
    public static final Head EMPTY = new Head(0, null, null);

    public Head {
        if (generation < 0) {
            throw new IllegalArgumentException("generation (" + generation + ") must be >= 0");
        }
        if (generation == 0 && (manifestKey != null || mode != null)) {
            throw new IllegalArgumentException(
                    "generation 0 has no manifest and no mode, got '" + manifestKey + "', " + mode);
        }
        if (manifestKey != null && manifestKey.isEmpty()) {
            throw new IllegalArgumentException("manifestKey must be null or non-empty");
        }
    }

    /** A head not locked to a mode. */
    public Head(long generation, String manifestKey) {
        this(generation, manifestKey, null);
    }

    /** The mode the context is locked to, if a sync upload has committed. */
    public Optional<UploadMode> lockedMode() {
        return Optional.ofNullable(mode);
    }
}
