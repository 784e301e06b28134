package org.openagb.sync;

/**
 * One path that differs between two versions of a context ({@link SyncEngine#diffVersions}). Content means type, size,
 * hash, mode and symlink target; a change of the modification time alone is not a change.
 */
public sealed interface VersionChange {
    /** The context path. */
    String path();

    /** In the newer version only. */
    record Added(ManifestEntry entry) implements VersionChange {
        @Override
        public String path() {
            return entry.path();
        }
    }

    /** In the older version only. */
    record Removed(ManifestEntry entry) implements VersionChange {
        @Override
        public String path() {
            return entry.path();
        }
    }

    /** In both, with another content. */
    record Changed(ManifestEntry before, ManifestEntry after) implements VersionChange {
        @Override
        public String path() {
            return after.path();
        }
    }
}
