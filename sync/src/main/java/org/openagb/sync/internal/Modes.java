package org.openagb.sync.internal;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** POSIX permission sets to and from mode bits. */
public final class Modes {
    private static final PosixFilePermission[] ORDER = {
        PosixFilePermission.OTHERS_EXECUTE,
        PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ
    };

    private Modes() {}

    public static int toBits(Set<PosixFilePermission> perms) {
        int bits = 0;
        for (int i = 0; i < ORDER.length; i++) {
            if (perms.contains(ORDER[i])) {
                bits |= 1 << i;
            }
        }
        return bits;
    }

    public static Set<PosixFilePermission> fromBits(int bits) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < ORDER.length; i++) {
            if ((bits & (1 << i)) != 0) {
                perms.add(ORDER[i]);
            }
        }
        return perms;
    }

    /** Sets a path's permission bits without following a symlink (no-op on non-POSIX file systems). */
    public static void apply(java.nio.file.Path p, int bits) throws java.io.IOException {
        java.nio.file.attribute.PosixFileAttributeView v = java.nio.file.Files.getFileAttributeView(
                p, java.nio.file.attribute.PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (v != null) {
            v.setPermissions(fromBits(bits));
        }
    }
}
