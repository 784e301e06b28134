package org.openagb.sync;

import java.nio.file.Path;

/**
 * Outcome of an Archive-mode download.
 *
 * @param generation the generation read
 * @param archivePath the context path of the archive
 * @param found false if the context holds no archive there (nothing was done)
 * @param zipFile where the {@code .zip} was placed in the session, or null
 * @param extractedTo the directory the archive was unpacked into, or null
 * @param files regular files extracted
 * @param directories directories extracted
 * @param symlinks symlinks extracted
 * @param bytes bytes of file content extracted
 * @param skippedByScope archive entries outside the white-list
 * @param message a human-readable summary for the task status
 */
public record ArchiveDownloadResult(
        long generation,
        String archivePath,
        boolean found,
        Path zipFile,
        Path extractedTo,
        long files,
        long directories,
        long symlinks,
        long bytes,
        long skippedByScope,
        String message) {}
