package org.openagb.sync;

import java.util.List;

/**
 * Outcome of a download. Entries that could not be materialised (for safety or IO reasons) are listed in {@code
 * failures} and left out of the base snapshot; the rest were written.
 */
public record DownloadResult(
        long generation,
        long filesWritten,
        long bytesWritten,
        long filesSkipped,
        long directories,
        long symlinks,
        List<EntryFailure> failures,
        String message) {

    /** An entry that was not materialised, and why. */
    public record EntryFailure(String path, String reason) {}

    public DownloadResult {
        failures = List.copyOf(failures);
    }

    /** True if every entry was materialised. */
    public boolean complete() {
        return failures.isEmpty();
    }
}
