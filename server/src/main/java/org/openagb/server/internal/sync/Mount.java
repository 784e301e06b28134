package org.openagb.server.internal.sync;

import org.openagb.model.SyncPolicy;

/**
 * One context mounted into a session. {@code path} is verbatim as the client sent it (the status registry
 * reports it that way); {@code normalizedPath} is what the filesystem uses.
 */
public record Mount(int index, String contextId, String path, String normalizedPath, SyncPolicy policy) {}
