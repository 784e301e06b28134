package org.openagb.sync.internal;

import java.nio.file.attribute.BasicFileAttributes;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.DownloadRequest;
import org.openagb.sync.ManifestEntry;

/**
 * What a download does with each entry, decided without touching the disk: which entries it covers (under the
 * source prefix, within the scope), where they go (rewritten to the mount), and what an existing local entry means
 * for a file. The {@link Downloader} materialises the decisions.
 */
final class DownloadPlan {
    /** What to do with a file entry given what is at its target. */
    enum FileAction {
        /** Nothing there: create the file in place. */
        CREATE,
        /** A file (or symlink) of other size or mtime is there: write a temporary file and rename it over it. */
        REPLACE,
        /** A regular file of the same size and mtime is there: keep it, only restore the mode. */
        KEEP,
        /** A directory is there: refuse (the session's directory is not deleted to make room). */
        REFUSE_DIRECTORY
    }

    private final String sourcePrefix;
    private final String mountPath;
    private final org.openagb.sync.PathScope scope;

    DownloadPlan(DownloadRequest request) {
        this.sourcePrefix = request.sourcePrefix();
        this.mountPath = request.mountPath();
        this.scope = request.scope();
    }

    /** True if the entries come from another path than the mount (a mapping policy). */
    boolean mapped() {
        return !sourcePrefix.equals(mountPath);
    }

    /** The entry rewritten to the mount, or null if it is not part of this download. */
    ManifestEntry select(ManifestEntry e) {
        if (!ContextPaths.isUnder(e.path(), sourcePrefix)) {
            return null;
        }
        String rel = ContextPaths.relativize(e.path(), sourcePrefix);
        if (!scope.includes(rel)) {
            return null;
        }
        return !mapped() ? e : e.withPath(ContextPaths.child(mountPath, rel));
    }

    /** The selected entry's path relative to the mount ({@code ""} for the mount itself). */
    String relative(ManifestEntry selected) {
        return ContextPaths.relativize(selected.path(), mountPath);
    }

    /** The decision for a file entry; {@code local} is the target's attributes (not followed), or null. */
    static FileAction fileAction(ManifestEntry e, BasicFileAttributes local) {
        if (local == null) {
            return FileAction.CREATE;
        }
        if (local.isRegularFile()
                && local.size() == e.size()
                && local.lastModifiedTime().toMillis() == e.mtimeMillis()) {
            return FileAction.KEEP;
        }
        if (local.isDirectory()) {
            return FileAction.REFUSE_DIRECTORY;
        }
        return FileAction.REPLACE;
    }
}
