package org.openagb.server.internal.sync;

import java.util.List;
import org.openagb.server.internal.http.ApiException;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.InvalidContextPathException;

/** The mount-path rule on top of {@link ContextPaths#parse}: absolute, and under one of the writable roots. */
public final class MountPaths {
    private MountPaths() {}

    /**
     * Normalises an absolute in-session mount path with {@link ContextPaths#parse} (UTF-8 byte limits, no
     * {@code .}/{@code ..}, no NUL) and refuses anything that is not under one of {@code roots}.
     */
    public static String normalize(String path, List<String> roots) {
        if (path == null || path.isBlank()) {
            throw ApiException.invalid(
                    "Cannot mount a context at an empty path (use an absolute path such as" + " '/home/project')");
        }
        if (!path.startsWith("/")) {
            throw ApiException.invalid("Cannot mount a context at '" + path
                    + "': the path must be absolute (for example '/home/project')");
        }
        String normalized;
        try {
            normalized = ContextPaths.parse(path);
        } catch (InvalidContextPathException e) {
            throw ApiException.invalid("Cannot mount a context at '" + e.shown() + "': " + e.reason());
        }
        boolean allowed = roots.stream().anyMatch(root -> normalized.equals(root) || normalized.startsWith(root + "/"));
        if (!allowed) {
            throw ApiException.invalid("Cannot mount a context at '" + path + "': mounts must be under one of the"
                    + " writable roots " + String.join(", ", roots) + " (for example '/home/project')");
        }
        return normalized;
    }

    /** True if one path equals or contains the other. */
    public static boolean overlaps(String a, String b) {
        return ContextPaths.overlaps(a, b);
    }
}
