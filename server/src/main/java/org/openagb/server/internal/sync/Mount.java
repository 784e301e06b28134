package org.openagb.server.internal.sync;

import org.openagb.model.SyncPolicy;

/**
 * One context mounted into a session. {@code path} is verbatim as the client sent it (the status registry
 * reports it that way); {@code normalizedPath} is what the filesystem uses. {@code version} is the generation of a
 * past version mounted read-only (null: the context's current content, synced as the policy says).
 */
public record Mount(int index, String contextId, String path, String normalizedPath, SyncPolicy policy, Long version) {

    /** A mount of the context's current content. */
    public Mount(int index, String contextId, String path, String normalizedPath, SyncPolicy policy) {
        this(index, contextId, path, normalizedPath, policy, null);
    }

    /** True if releases, checkpoints and unfiltered syncs upload this mount: auto-upload, and not a past version. */
    public boolean uploadsAutomatically() {
        return version == null && policy.uploadPolicy().autoUpload();
    }
}
