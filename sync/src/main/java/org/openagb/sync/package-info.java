/**
 * Context Sync: versioned file trees ("contexts") stored as a manifest plus immutable blobs in an {@link
 * org.openagb.storage.ObjectStore}, downloaded into and uploaded from a session's directory with three-way change
 * detection. Start at {@link org.openagb.sync.SyncEngine}.
 */
package org.openagb.sync;
