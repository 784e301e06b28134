package org.openagb.sync;

import java.util.Objects;

/**
 * One path of a context's tree.
 *
 * @param path absolute context path (see {@link ContextPaths})
 * @param type file, directory or symlink
 * @param size content length in bytes for files; 0 for directories and symlinks
 * @param mtimeMillis last modification time, epoch milliseconds
 * @param mode POSIX permission bits ({@code 0755}); only the lower 12 bits are kept
 * @param hash xxHash64 (seed 0) of the content for files (including empty files); 0 for directories and symlinks
 * @param blob where the content lives; present exactly for non-empty files
 * @param linkTarget the symlink's target text, verbatim; present exactly for symlinks
 * @param uploadedAtMillis when the upload that last changed this entry committed it, epoch milliseconds
 */
public record ManifestEntry(
        String path,
        EntryType type,
        long size,
        long mtimeMillis,
        int mode,
        long hash,
        BlobRef blob,
        String linkTarget,
        long uploadedAtMillis) {

    public ManifestEntry {
        String problem = ContextPaths.problem(path);
        if (problem != null) {
            throw new IllegalArgumentException(
                    "path '" + String.valueOf(path).replace("\0", "\\0") + "' is not a valid context path: " + problem);
        }
        Objects.requireNonNull(type, "type");
        if (size < 0) {
            throw new IllegalArgumentException("size (" + size + ") of '" + path + "' must be >= 0");
        }
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException(
                    "mode (" + Integer.toOctalString(mode) + ") of '" + path + "' must be permission bits <= 07777");
        }
        if (uploadedAtMillis < 0) {
            throw new IllegalArgumentException("uploadedAtMillis (" + uploadedAtMillis + ") must be >= 0");
        }
        switch (type) {
            case FILE -> {
                if (linkTarget != null) {
                    throw new IllegalArgumentException("file '" + path + "' cannot have a link target");
                }
                if (size == 0 && blob != null) {
                    throw new IllegalArgumentException("empty file '" + path + "' cannot have a blob");
                }
                if (size > 0 && (blob == null || blob.length() != size)) {
                    throw new IllegalArgumentException(
                            "file '" + path + "' of " + size + " bytes needs a blob of the same length, got " + blob);
                }
            }
            case DIRECTORY -> {
                if (size != 0 || hash != 0 || blob != null || linkTarget != null) {
                    throw new IllegalArgumentException(
                            "directory '" + path + "' must have size 0, hash 0, no blob and no link target");
                }
            }
            case SYMLINK -> {
                if (linkTarget == null || linkTarget.isEmpty() || linkTarget.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("symlink '" + path + "' needs a non-empty target");
                }
                if (size != 0 || hash != 0 || blob != null) {
                    throw new IllegalArgumentException("symlink '" + path + "' must have size 0, hash 0 and no blob");
                }
            }
        }
    }

    /** A file entry; {@code blob} is null for an empty file. */
    public static ManifestEntry file(
            String path, long size, long mtimeMillis, int mode, long hash, BlobRef blob, long uploadedAtMillis) {
        return new ManifestEntry(path, EntryType.FILE, size, mtimeMillis, mode, hash, blob, null, uploadedAtMillis);
    }

    /** A directory entry. */
    public static ManifestEntry directory(String path, long mtimeMillis, int mode, long uploadedAtMillis) {
        return new ManifestEntry(path, EntryType.DIRECTORY, 0, mtimeMillis, mode, 0, null, null, uploadedAtMillis);
    }

    /** A symlink entry. */
    public static ManifestEntry symlink(String path, String target, long mtimeMillis, long uploadedAtMillis) {
        return new ManifestEntry(path, EntryType.SYMLINK, 0, mtimeMillis, 0777, 0, null, target, uploadedAtMillis);
    }

    /** This entry at another path. */
    public ManifestEntry withPath(String newPath) {
        return new ManifestEntry(newPath, type, size, mtimeMillis, mode, hash, blob, linkTarget, uploadedAtMillis);
    }

    /** This entry with its content at another place (the same bytes: a pack compaction moved them). */
    public ManifestEntry withBlob(BlobRef newBlob) {
        return new ManifestEntry(path, type, size, mtimeMillis, mode, hash, newBlob, linkTarget, uploadedAtMillis);
    }

    /** This entry with another modification time. */
    public ManifestEntry withMtime(long newMtimeMillis) {
        if (newMtimeMillis == mtimeMillis) {
            return this;
        }
        return new ManifestEntry(path, type, size, newMtimeMillis, mode, hash, blob, linkTarget, uploadedAtMillis);
    }

    /** The last path component. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * True if both entries describe the same content: type, size, hash, mode and link target (not times, not
     * where the blob is stored). Null-safe: two nulls are the same, a null and an entry are not.
     */
    public static boolean sameContent(ManifestEntry a, ManifestEntry b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.type == b.type
                && a.size == b.size
                && a.hash == b.hash
                && a.mode == b.mode
                && Objects.equals(a.linkTarget, b.linkTarget);
    }
}
