package org.openagb.sync;

import java.util.List;

/**
 * What syncing a whole mount did: File or Archive mode, downloaded or uploaded. {@link #message()} is what a task
 * status should say: empty when everything went as asked, otherwise what the user must know (entries that could
 * not be written, files of another session that were overwritten, symlinks left out of an archive).
 */
public sealed interface MountOutcome {

    /** Empty when all went as asked; otherwise a sentence naming what did not. */
    String message();

    /** Paths another session had changed that this upload overwrote or deleted (last writer wins). */
    default List<String> conflicts() {
        return List.of();
    }

    /** False when some entries could not be materialised; the task then failed, though the rest was written. */
    default boolean complete() {
        return true;
    }

    /** A File-mode download. */
    record FilesDownloaded(String mountPath, DownloadResult result) implements MountOutcome {
        @Override
        public boolean complete() {
            return result.complete();
        }

        @Override
        public String message() {
            if (result.complete()) {
                return "";
            }
            return result.failures().size() + " of the context's entries could not be written under '" + mountPath
                    + "': "
                    + String.join(
                            "; ",
                            result.failures().stream()
                                    .limit(5)
                                    .map(f -> f.path() + " (" + f.reason() + ")")
                                    .toList());
        }
    }

    /** A File-mode upload (three-way: another session's newer change is only overwritten when this one is newer). */
    record FilesUploaded(UploadResult result) implements MountOutcome {
        @Override
        public List<String> conflicts() {
            return result.conflicts();
        }

        @Override
        public String message() {
            List<String> conflicts = result.conflicts();
            if (conflicts.isEmpty()) {
                return "";
            }
            return conflicts.size() + " file(s) changed by another session were overwritten (last writer wins): "
                    + String.join(", ", conflicts.stream().limit(10).toList());
        }
    }

    /** An Archive-mode download, following the extract policy ({@code found=false}: the context had no archive). */
    record ArchiveDownloaded(ArchiveDownloadResult result) implements MountOutcome {
        @Override
        public String message() {
            return "";
        }
    }

    /**
     * An Archive-mode upload: the mount packed into its archive, or (when the extract policy placed the archive
     * without extracting it) the session's own {@code <name>.zip} stored as it is.
     *
     * @param archive the context's archive entry after the upload
     * @param packed true if the tree was packed, false if the session's zip was stored as is
     * @param skipped symlinks left out because their target leaves the mount
     */
    record ArchiveUploaded(ManifestEntry archive, boolean packed, List<String> skipped) implements MountOutcome {
        public ArchiveUploaded {
            skipped = List.copyOf(skipped);
        }

        @Override
        public String message() {
            return skipped.isEmpty()
                    ? ""
                    : skipped.size() + " symlink(s) pointing outside the mount were left out of the archive: "
                            + String.join(", ", skipped.stream().limit(10).toList());
        }
    }
}
