package org.openagb.sync;

import org.openagb.model.UploadMode;

/**
 * Thrown when an upload in one {@link UploadMode} meets a context locked to the other: a context keeps the mode of
 * its first sync upload, because File and Archive mode store the same tree in incompatible ways. Nothing was
 * committed.
 */
public class ModeLockedException extends SyncException {
    private final UploadMode locked;

    public ModeLockedException(String contextId, String path, UploadMode wanted, UploadMode locked) {
        super("Cannot upload '" + path + "' to context '" + contextId + "' in " + wanted.wireName()
                + " mode: the context was first synced in " + locked.wireName() + " mode, and a context keeps its"
                + " mode (set uploadMode to " + locked.wireName() + ", or use a new context for " + wanted.wireName()
                + " mode)");
        this.locked = locked;
    }

    /** The mode the context is locked to. */
    public UploadMode locked() {
        return locked;
    }
}
