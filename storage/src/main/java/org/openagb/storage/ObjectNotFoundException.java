package org.openagb.storage;

/** Thrown when an object that must exist does not. */
public class ObjectNotFoundException extends StorageException {
    private final String key;

    public ObjectNotFoundException(String key) {
        super("Cannot read object '" + key + "': no such object (check the key, or whether it was deleted)");
        this.key = key;
    }

    /** The missing key. */
    public String key() {
        return key;
    }
}
