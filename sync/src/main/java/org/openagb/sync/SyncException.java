package org.openagb.sync;

/** Root of the unchecked exceptions thrown by the sync engine. */
public class SyncException extends RuntimeException {
    public SyncException(String message) {
        super(message);
    }

    public SyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
