package org.openagb.sync;

import java.util.List;

/**
 * Outcome of an Archive-mode upload.
 *
 * @param generation the context's generation after the commit
 * @param archivePath the context path of the archive entry
 * @param entry the committed archive entry (the previous one if the content was identical and nothing was
 *     committed)
 * @param files regular files packed
 * @param directories directories packed (as zip directory entries)
 * @param symlinks symlinks packed (as zip symlink entries)
 * @param bytesIn total size of the packed files
 * @param deflated entries stored compressed
 * @param stored non-empty files stored uncompressed (already compressed, or they did not shrink)
 * @param skipped paths left out: symlinks whose target leaves the mount (absolute or climbing with {@code ..})
 * @param entriesReplaced entries under the mount that the commit removed (other than a previous archive)
 * @param commitAttempts compare-and-set attempts (0 = nothing changed, nothing committed)
 * @param message a human-readable summary for the task status
 */
public record ArchiveUploadResult(
        long generation,
        String archivePath,
        ManifestEntry entry,
        long files,
        long directories,
        long symlinks,
        long bytesIn,
        long deflated,
        long stored,
        List<String> skipped,
        long entriesReplaced,
        int commitAttempts,
        String message) {
    public ArchiveUploadResult {
        skipped = List.copyOf(skipped);
    }
}
