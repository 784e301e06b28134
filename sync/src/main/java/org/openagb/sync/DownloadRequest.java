package org.openagb.sync;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Download of one mount.
 *
 * @param contextId the context
 * @param sourcePrefix the context path whose entries are downloaded; normally the mount path, another path when
 *     a mapping policy maps data stored elsewhere (normalised by {@link ContextPaths#normalize})
 * @param mountPath the in-session path the entries are rewritten to
 * @param hostDir the host directory that backs {@code mountPath}; created if missing
 * @param scope white-list filter, relative to the mount
 * @param baseFile where the base snapshot is written (outside {@code hostDir})
 */
public record DownloadRequest(
        String contextId, String sourcePrefix, String mountPath, Path hostDir, PathScope scope, Path baseFile) {
    public DownloadRequest {
        Objects.requireNonNull(contextId, "contextId");
        sourcePrefix = ContextPaths.normalize(sourcePrefix);
        mountPath = ContextPaths.normalize(mountPath);
        Objects.requireNonNull(hostDir, "hostDir");
        scope = scope == null ? PathScope.all() : scope;
        Objects.requireNonNull(baseFile, "baseFile");
    }

    /** A download of the mount's own data (no mapping), whole mount. */
    public static DownloadRequest of(String contextId, String mountPath, Path hostDir, Path baseFile) {
        return new DownloadRequest(contextId, mountPath, mountPath, hostDir, PathScope.all(), baseFile);
    }

    public DownloadRequest withScope(PathScope newScope) {
        return new DownloadRequest(contextId, sourcePrefix, mountPath, hostDir, newScope, baseFile);
    }

    public DownloadRequest withSourcePrefix(String prefix) {
        return new DownloadRequest(contextId, prefix, mountPath, hostDir, scope, baseFile);
    }
}
