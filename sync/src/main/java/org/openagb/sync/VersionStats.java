package org.openagb.sync;

/**
 * What a generation's manifest holds, counted while the commit wrote it, so that listing versions reads no manifest.
 *
 * @param files regular files (directories and symlinks are not counted)
 * @param bytes the sum of the files' sizes
 */
public record VersionStats(long files, long bytes) {
    /** Not recorded (a commit made before versions were kept, or by a caller that does not count): -1, -1. */
    public static final VersionStats UNKNOWN = new VersionStats(-1, -1);

    public VersionStats {
        if ((files < 0 || bytes < 0) && (files != -1 || bytes != -1)) {
            throw new IllegalArgumentException(
                    "files (" + files + ") and bytes (" + bytes + ") must both be >= 0, or both -1 (unknown)");
        }
    }

    public boolean known() {
        return files >= 0;
    }
}
