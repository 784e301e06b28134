package org.openagb.server;

/**
 * Totals of one garbage collection over every context.
 *
 * @param contexts contexts collected
 * @param blobsDeleted unreferenced blob and pack objects deleted
 * @param manifestsDeleted superseded manifests deleted
 * @param bytesReclaimed their total size
 * @param liveBlobs blob and pack objects still referenced
 * @param millis how long the run took
 * @param versionsForgotten recorded versions that the retention no longer keeps, forgotten
 * @param packsRewritten packs the head used less than half of, rewritten with their live files only (collected by a
 *     later run)
 * @param bytesCopied live bytes those rewrites copied
 */
public record GcSummary(
        int contexts,
        long blobsDeleted,
        long manifestsDeleted,
        long bytesReclaimed,
        long liveBlobs,
        long millis,
        long versionsForgotten,
        long packsRewritten,
        long bytesCopied) {}
