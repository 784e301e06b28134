package org.openagb.storage;

/** Root of the exceptions thrown by {@link ObjectStore} implementations. Unchecked. */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
