package org.openagb.sync;

/**
 * The committed state of a context: its generation and the key of its manifest object. {@code manifestKey} is
 * null for an empty context (generation 0 for a context never written, higher after a {@code clear}).
 */
public record Head(long generation, String manifestKey) {
    /** The head of a context that was never written. */
    public static final Head EMPTY = new Head(0, null);

    public Head {
        if (generation < 0) {
            throw new IllegalArgumentException("generation (" + generation + ") must be >= 0");
        }
        if (generation == 0 && manifestKey != null) {
            throw new IllegalArgumentException("generation 0 has no manifest, got '" + manifestKey + "'");
        }
        if (manifestKey != null && manifestKey.isEmpty()) {
            throw new IllegalArgumentException("manifestKey must be null or non-empty");
        }
    }
}
