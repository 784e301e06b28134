package org.openagb.sync;

import java.util.List;

/**
 * Outcome of a committed upload.
 *
 * @param filesUploaded new or changed files whose content was stored
 * @param bytesUploaded their total size
 * @param entriesChanged new or changed entries of any type (files, directories, symlinks)
 * @param filesDeleted entries removed from the context because they were deleted locally
 * @param unchanged local entries found unchanged since the base
 * @param filesHashed files whose content was read (changed stat, or uploaded)
 * @param conflicts paths that another session had changed since this session's base and that this upload
 *     overwrote or deleted (last writer wins), in canonical order
 * @param generation the context's generation after the upload (unchanged if nothing needed committing)
 * @param commitAttempts compare-and-set attempts used (0 when nothing was committed)
 * @param message a human summary, suitable for a task status
 */
public record UploadResult(
        long filesUploaded,
        long bytesUploaded,
        long entriesChanged,
        long filesDeleted,
        long unchanged,
        long filesHashed,
        List<String> conflicts,
        long generation,
        int commitAttempts,
        String message) {
    public UploadResult {
        conflicts = List.copyOf(conflicts);
    }
}
