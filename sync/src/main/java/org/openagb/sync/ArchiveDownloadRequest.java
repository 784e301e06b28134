package org.openagb.sync;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Archive-mode download of one mount, following the mount's {@code extractPolicy} (WIRE.md §6.1). The archive is
 * the context entry {@code <sourcePrefix>/<last segment of sourcePrefix>.zip}; its file name in the session is
 * the same ({@code <name>.zip}), placed under the mount.
 *
 * @param contextId the context
 * @param sourcePrefix the context path the archive was uploaded from; the mount path, or the mapping path
 * @param mountPath the in-session path
 * @param hostDir the host directory that backs {@code mountPath}; created if missing
 * @param scope white-list filter, applied to the archive's entry names (relative to the mount)
 * @param extract true to unpack the archive; false to place the {@code .zip} file at {@code <mount>/<name>.zip}
 * @param extractToCurrentFolder when extracting: true to unpack into the mount itself, false into the
 *     subfolder {@code <mount>/<name without .zip>/}
 * @param deleteSrcFile when extracting: true to leave no {@code .zip} in the session, false to also place it
 */
public record ArchiveDownloadRequest(
        String contextId,
        String sourcePrefix,
        String mountPath,
        Path hostDir,
        PathScope scope,
        boolean extract,
        boolean extractToCurrentFolder,
        boolean deleteSrcFile) {
    public ArchiveDownloadRequest {
        Objects.requireNonNull(contextId, "contextId");
        sourcePrefix = ContextPaths.normalize(sourcePrefix);
        mountPath = ContextPaths.normalize(mountPath);
        Objects.requireNonNull(hostDir, "hostDir");
        scope = scope == null ? PathScope.all() : scope;
    }

    /**
     * The mount's own archive, whole mount, with the SDK's default extract policy ({@code extract=true,
     * deleteSrcFile=true, extractToCurrentFolder=false}).
     */
    public static ArchiveDownloadRequest of(String contextId, String mountPath, Path hostDir) {
        return new ArchiveDownloadRequest(contextId, mountPath, mountPath, hostDir, PathScope.all(), true, false, true);
    }

    public ArchiveDownloadRequest withExtractPolicy(
            boolean extract, boolean extractToCurrentFolder, boolean deleteSrcFile) {
        return new ArchiveDownloadRequest(
                contextId, sourcePrefix, mountPath, hostDir, scope, extract, extractToCurrentFolder, deleteSrcFile);
    }

    public ArchiveDownloadRequest withScope(PathScope newScope) {
        return new ArchiveDownloadRequest(
                contextId, sourcePrefix, mountPath, hostDir, newScope, extract, extractToCurrentFolder, deleteSrcFile);
    }

    public ArchiveDownloadRequest withSourcePrefix(String prefix) {
        return new ArchiveDownloadRequest(
                contextId, prefix, mountPath, hostDir, scope, extract, extractToCurrentFolder, deleteSrcFile);
    }
}
