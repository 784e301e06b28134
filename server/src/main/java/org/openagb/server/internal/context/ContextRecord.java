package org.openagb.server.internal.context;

import org.openagb.model.UploadMode;

/**
 * A context row. {@code uploadMode} is the mode its head is locked to, null until its first sync upload committed
 * (see {@code DatabaseContextHeads}).
 */
public record ContextRecord(
        String id,
        String tenant,
        String name,
        ContextState state,
        ContextKind kind,
        String ownerSession,
        UploadMode uploadMode,
        long generation,
        String manifestKey,
        long createdAt,
        long lastUsedAt) {

    /** True for a session's internal context (file transfer): never listed, mounted or seen by other sessions. */
    public boolean internal() {
        return kind != ContextKind.USER;
    }
}
