package org.openagb.sync;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Upload of one mount.
 *
 * @param contextId the context
 * @param mountPath the in-session path; entries are stored under it
 * @param hostDir the host directory that backs {@code mountPath}; must exist
 * @param scope white-list filter, relative to the mount
 * @param baseFile the base snapshot written by the last download or upload; a missing file is an empty base
 * @param propagateDeletes true to delete from the context what was deleted locally ({@code
 *     deletePolicy.syncLocalFile}); false for an additive upload
 */
public record UploadRequest(
        String contextId, String mountPath, Path hostDir, PathScope scope, Path baseFile, boolean propagateDeletes) {
    public UploadRequest {
        Objects.requireNonNull(contextId, "contextId");
        mountPath = ContextPaths.normalize(mountPath);
        Objects.requireNonNull(hostDir, "hostDir");
        scope = scope == null ? PathScope.all() : scope;
        Objects.requireNonNull(baseFile, "baseFile");
    }

    /** Whole mount, deletions propagated. */
    public static UploadRequest of(String contextId, String mountPath, Path hostDir, Path baseFile) {
        return new UploadRequest(contextId, mountPath, hostDir, PathScope.all(), baseFile, true);
    }

    public UploadRequest withScope(PathScope newScope) {
        return new UploadRequest(contextId, mountPath, hostDir, newScope, baseFile, propagateDeletes);
    }

    public UploadRequest withPropagateDeletes(boolean propagate) {
        return new UploadRequest(contextId, mountPath, hostDir, scope, baseFile, propagate);
    }
}
