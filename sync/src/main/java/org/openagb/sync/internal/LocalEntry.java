package org.openagb.sync.internal;

import java.nio.file.Path;
import org.openagb.sync.BlobRef;
import org.openagb.sync.EntryType;
import org.openagb.sync.ManifestEntry;

/**
 * A path found by {@link Scanner}: stat data only, no content hash. {@code ctimeNanos} is the inode's change time (epoch ns),
 * which every write, chmod or {@code touch -d} moves forward and no unprivileged call can set back.
 */
public record LocalEntry(
        String path,
        Path file,
        EntryType type,
        long size,
        long mtimeMillis,
        long ctimeNanos,
        int mode,
        String linkTarget) {

    /** The manifest entry for this path once its content is known. */
    public ManifestEntry toEntry(long hash, BlobRef blob, long uploadedAtMillis) {
        return switch (type) {
            case FILE -> ManifestEntry.file(path, size, mtimeMillis, mode, hash, blob, uploadedAtMillis);
            case DIRECTORY -> ManifestEntry.directory(path, mtimeMillis, mode, uploadedAtMillis);
            case SYMLINK -> ManifestEntry.symlink(path, linkTarget, mtimeMillis, uploadedAtMillis);
        };
    }
}
