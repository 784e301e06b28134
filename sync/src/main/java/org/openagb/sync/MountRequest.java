package org.openagb.sync;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.openagb.model.SyncPolicy;
import org.openagb.model.WhiteList;

/**
 * A whole mount to download or upload with {@link SyncEngine#downloadMount} / {@link SyncEngine#uploadMount}.
 *
 * @param contextId the context
 * @param mountPath the in-session path of the mount (normalised by {@link ContextPaths#normalize})
 * @param hostDir the host directory that backs the mount; created by the caller
 * @param baseSnapshot where the mount's base snapshot lives (outside {@code hostDir}); a missing file is an empty
 *     base. Written by every File-mode download and upload.
 * @param policy the mount's sync policy; a plain, additive sync of a directory that is not a mount passes a policy
 *     whose {@code deletePolicy.syncLocalFile} is false
 * @param version the generation to download, read-only (a past version mounted for reading); null = the head. A
 *     mount of a version is never uploaded.
 */
public record MountRequest(
        String contextId, String mountPath, Path hostDir, Path baseSnapshot, SyncPolicy policy, Long version) {
    public MountRequest {
        Objects.requireNonNull(contextId, "contextId");
        mountPath = ContextPaths.normalize(mountPath);
        Objects.requireNonNull(hostDir, "hostDir");
        Objects.requireNonNull(baseSnapshot, "baseSnapshot");
        policy = policy == null ? SyncPolicy.defaults() : policy;
        if (version != null && version < 1) {
            throw new IllegalArgumentException("version (" + version + ") must be a generation >= 1, or null");
        }
    }

    /** A mount of the context's head. */
    public MountRequest(String contextId, String mountPath, Path hostDir, Path baseSnapshot, SyncPolicy policy) {
        this(contextId, mountPath, hostDir, baseSnapshot, policy, null);
    }

    /** This mount, of version {@code generation}, read-only. */
    public MountRequest withVersion(long generation) {
        return new MountRequest(contextId, mountPath, hostDir, baseSnapshot, policy, generation);
    }

    /** The context path a download reads: the mapping policy's path, or the mount path itself. */
    public String sourcePath() {
        return policy.mappingPolicy() == null
                ? mountPath
                : ContextPaths.parse(policy.mappingPolicy().path());
    }

    /** The policy's white list as a scope relative to the mount. */
    public PathScope scope() {
        List<PathScope.WhiteList> whiteLists = new ArrayList<>();
        for (WhiteList w : policy.bwList().whiteLists()) {
            whiteLists.add(new PathScope.WhiteList(w.path(), w.excludePaths()));
        }
        return PathScope.of(mountPath, whiteLists);
    }
}
