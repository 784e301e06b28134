package org.openagb.sync;

/** Thrown when a version operation names a generation that the context does not keep. */
public class VersionNotFoundException extends SyncException {
    public VersionNotFoundException(String message) {
        super(message);
    }
}
