package org.openagb.server.internal.session;

import java.util.ArrayList;
import java.util.List;
import org.openagb.server.internal.http.ApiException;

/** Validation and normalisation of in-session mount paths. */
public final class MountPaths {
    private MountPaths() {}

    /**
     * Normalises an absolute in-session path: collapses duplicate slashes, drops a trailing slash, rejects
     * {@code .}/{@code ..} segments and anything that is not under one of {@code roots}.
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
        if (path.indexOf('\0') >= 0) {
            throw ApiException.invalid("Cannot mount a context at '" + abbreviate(path.replace("\0", "\\0"))
                    + "': the path has a NUL character (remove it)");
        }
        // Limits in UTF-8 bytes, as the file system counts them: 100 CJK characters are 300 bytes.
        int pathBytes = utf8Length(path);
        if (pathBytes > 4096) {
            throw ApiException.invalid("Cannot mount a context at '" + abbreviate(path) + "': the path is " + pathBytes
                    + " bytes in UTF-8, longer than 4096 bytes (use a shorter path)");
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.equals(".") || part.equals("..")) {
                throw ApiException.invalid("Cannot mount a context at '" + path
                        + "': '.' and '..' segments are not allowed (use a normalised absolute path)");
            }
            int partBytes = utf8Length(part);
            if (partBytes > 255) {
                throw ApiException.invalid("Cannot mount a context at '" + abbreviate(path) + "': the name '"
                        + abbreviate(part) + "' is " + partBytes + " bytes in UTF-8, longer than 255 bytes (use a"
                        + " shorter name)");
            }
            parts.add(part);
        }
        String normalized = "/" + String.join("/", parts);
        boolean allowed = roots.stream().anyMatch(root -> normalized.equals(root) || normalized.startsWith(root + "/"));
        if (!allowed) {
            throw ApiException.invalid("Cannot mount a context at '" + path + "': mounts must be under one of the"
                    + " writable roots " + String.join(", ", roots) + " (for example '/home/project')");
        }
        return normalized;
    }

    /** True if one path equals or contains the other. */
    public static boolean overlaps(String a, String b) {
        return a.equals(b)
                || a.startsWith(b.equals("/") ? "/" : b + "/")
                || b.startsWith(a.equals("/") ? "/" : a + "/");
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
