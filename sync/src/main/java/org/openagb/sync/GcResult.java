package org.openagb.sync;

/**
 * What one garbage collection of a context removed and kept.
 *
 * @param manifestsMarked manifests whose entries were kept alive (the head, those younger than the grace period, and
 *     the one that was current when the grace period began, the retained versions)
 * @param liveBlobs distinct blob objects they reference
 * @param blobsDeleted unreferenced blob objects older than the grace period, deleted
 * @param manifestsDeleted superseded manifests older than the grace period, deleted
 * @param bytesReclaimed the size of what was deleted
 * @param keptYoung unreferenced objects left because they are younger than the grace period (an upload may be about to
 *     commit them)
 * @param versionsForgotten recorded versions no longer retained, forgotten (their manifests became collectable)
 */
public record GcResult(
        int manifestsMarked,
        long liveBlobs,
        long blobsDeleted,
        long manifestsDeleted,
        long bytesReclaimed,
        long keptYoung,
        int versionsForgotten) {}
