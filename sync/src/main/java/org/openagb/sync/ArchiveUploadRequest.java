package org.openagb.sync;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Archive-mode upload of one mount ({@code uploadMode=Archive}): the mount's tree, filtered by {@code scope}, is
 * packed into one zip stored as the single entry {@link ContextPaths#archivePath(String) <mount>/<last>.zip},
 * replacing every other entry under the mount.
 *
 * @param contextId the context
 * @param mountPath the in-session path (normalised by {@link ContextPaths#normalize})
 * @param hostDir the host directory that backs {@code mountPath}; must exist
 * @param scope white-list filter, relative to the mount
 */
public record ArchiveUploadRequest(String contextId, String mountPath, Path hostDir, PathScope scope) {
    public ArchiveUploadRequest {
        Objects.requireNonNull(contextId, "contextId");
        mountPath = ContextPaths.normalize(mountPath);
        Objects.requireNonNull(hostDir, "hostDir");
        scope = scope == null ? PathScope.all() : scope;
    }

    /** The whole mount. */
    public static ArchiveUploadRequest of(String contextId, String mountPath, Path hostDir) {
        return new ArchiveUploadRequest(contextId, mountPath, hostDir, PathScope.all());
    }
}
