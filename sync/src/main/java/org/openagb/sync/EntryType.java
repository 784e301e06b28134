package org.openagb.sync;

/** Kind of a {@link ManifestEntry}. */
public enum EntryType {
    FILE,
    DIRECTORY,
    SYMLINK
}
