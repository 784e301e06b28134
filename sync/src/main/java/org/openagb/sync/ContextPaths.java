package org.openagb.sync;

import java.util.Comparator;

/**
 * Rules for context paths: absolute in-session paths such as {@code /home/project/src/a.py} (or, for data
 * written from Windows sessions, {@code c:/Users/me/x}), {@code '/'}-separated, without empty, {@code "."} or
 * {@code ".."} components, NUL characters or a trailing slash.
 *
 * <p>The canonical order ({@link #ORDER}) compares paths component by component, which is the same as comparing
 * them as strings with {@code '/'} sorting before every other character. A depth-first walk that visits each
 * directory's children sorted by name produces paths in this order, and manifests are stored in it.
 */
public final class ContextPaths {
    private ContextPaths() {}

    /** The canonical order of context paths. */
    public static final Comparator<String> ORDER = ContextPaths::compare;

    /** Compares two paths in canonical order. */
    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x == '/') {
                    return -1;
                }
                if (y == '/') {
                    return 1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** The longest path in a session, in UTF-8 bytes (PATH_MAX). */
    public static final int MAX_PATH_BYTES = 4096;

    /** The longest name in a session, in UTF-8 bytes (NAME_MAX). */
    public static final int MAX_NAME_BYTES = 255;

    /**
     * Turns client text — a mount path, a mapping path, a context file or folder — into a context path; the one place
     * where such text is checked. Backslashes become {@code '/'}; a Windows drive ({@code C:\Users\me}) becomes
     * {@code /c:/Users/me} (the drive lower-cased: Windows paths are case-insensitive there); a missing leading
     * {@code '/'} is added; repeated and trailing slashes collapse. The root is {@code "/"}.
     *
     * @throws InvalidContextPathException if the text is empty, holds a NUL, a {@code .} or {@code ..} name, a name
     *     over {@value #MAX_NAME_BYTES} or a path over {@value #MAX_PATH_BYTES} UTF-8 bytes; the message names the
     *     value and the fix
     */
    public static String parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidContextPathException(
                    raw == null ? "" : raw, "it is empty (give an absolute path such as /home/project)");
        }
        String shown = abbreviate(raw.replace("\0", "\\0"));
        if (raw.indexOf('\0') >= 0) {
            throw new InvalidContextPathException(shown, "it contains a NUL character (remove it)");
        }
        String p = raw.replace('\\', '/');
        if (p.length() >= 2
                && Character.isLetter(p.charAt(0))
                && p.charAt(1) == ':'
                && (p.length() == 2 || p.charAt(2) == '/')) {
            p = Character.toLowerCase(p.charAt(0)) + p.substring(1);
        }
        StringBuilder out = new StringBuilder(p.length() + 1);
        for (String name : p.split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals(".") || name.equals("..")) {
                throw new InvalidContextPathException(
                        shown, "'.' and '..' segments are not allowed (use a normalised absolute path)");
            }
            int bytes = utf8Length(name);
            if (bytes > MAX_NAME_BYTES) {
                throw new InvalidContextPathException(
                        shown,
                        "the name '" + abbreviate(name) + "' is " + bytes + " bytes in UTF-8, longer than "
                                + MAX_NAME_BYTES + " bytes (the limit of a file name in a session; use a shorter"
                                + " name)");
            }
            out.append('/').append(name);
        }
        String path = out.length() == 0 ? "/" : out.toString();
        int bytes = utf8Length(path);
        if (bytes > MAX_PATH_BYTES) {
            throw new InvalidContextPathException(
                    shown,
                    "it is " + bytes + " bytes in UTF-8, longer than " + MAX_PATH_BYTES + " bytes (the limit of a"
                            + " path in a session; use a shorter path)");
        }
        return path;
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /** True if one path equals or contains the other (by whole components). */
    public static boolean overlaps(String a, String b) {
        return a.equals(b) || isUnder(a, b) || isUnder(b, a);
    }

    /** Returns why {@code path} is not a valid context path, or null if it is. */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "it is empty";
        }
        if (path.indexOf('\0') >= 0) {
            return "it contains a NUL character";
        }
        int start = rootLength(path);
        if (start < 0) {
            return "it is not absolute";
        }
        if (path.length() == start) {
            return "it is the root";
        }
        if (path.endsWith("/")) {
            return "it ends with '/'";
        }
        // component by component without allocating (this runs for every manifest entry read)
        int n = path.length();
        int from = start;
        for (int i = start; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                int len = i - from;
                if (len == 0) {
                    return "it contains '//'";
                }
                if (path.charAt(from) == '.' && (len == 1 || len == 2 && path.charAt(from + 1) == '.')) {
                    return "it contains a '" + path.substring(from, i) + "' component";
                }
                from = i + 1;
            }
        }
        return null;
    }

    /** Length of the root ("/" or "c:/"), or -1 if the path is not absolute. */
    private static int rootLength(String path) {
        if (path.startsWith("/")) {
            return 1;
        }
        if (path.length() >= 3
                && Character.isLetter(path.charAt(0))
                && path.charAt(1) == ':'
                && path.charAt(2) == '/') {
            return 3;
        }
        return -1;
    }

    /**
     * Normalises a user-supplied absolute path (a mount path or a mapping source): backslashes become {@code '/'},
     * repeated slashes collapse, {@code "."} components and a trailing slash are dropped. The root {@code "/"}
     * stays {@code "/"}.
     *
     * @throws SyncException if the path is empty, relative or contains {@code ".."}
     */
    public static String normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new SyncException(
                    "Cannot use path '" + raw + "': it is empty (pass an absolute path like /home/project)");
        }
        String p = raw.trim().replace('\\', '/');
        int root = rootLength(p);
        if (root < 0) {
            throw new SyncException(
                    "Cannot use path '" + raw + "': it is not absolute (pass an absolute path like /home/project)");
        }
        StringBuilder sb = new StringBuilder(p.substring(0, root));
        for (String part : p.substring(root).split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new SyncException("Cannot use path '" + raw + "': it contains '..' (pass a path without '..')");
            }
            if (part.indexOf('\0') >= 0) {
                throw new SyncException(
                        "Cannot use path '" + raw.replace("\0", "\\0") + "': it contains a NUL character");
            }
            if (sb.length() > root) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /** True if {@code path} is strictly below {@code parent} (by whole components). */
    public static boolean isUnder(String path, String parent) {
        if (parent.endsWith("/")) { // a root
            return path.length() > parent.length() && path.startsWith(parent);
        }
        return path.length() > parent.length() + 1 && path.startsWith(parent) && path.charAt(parent.length()) == '/';
    }

    /** True if {@code path} equals {@code parent} or is below it. */
    public static boolean isUnderOrEqual(String path, String parent) {
        return path.equals(parent) || isUnder(path, parent);
    }

    /** {@code parent + "/" + relative}; {@code parent} itself if {@code relative} is empty. */
    public static String child(String parent, String relative) {
        if (relative.isEmpty()) {
            return parent;
        }
        return parent.endsWith("/") ? parent + relative : parent + "/" + relative;
    }

    /** The part of {@code path} below {@code parent} ("" if equal). Requires {@link #isUnderOrEqual}. */
    public static String relativize(String path, String parent) {
        if (path.equals(parent)) {
            return "";
        }
        return path.substring(parent.endsWith("/") ? parent.length() : parent.length() + 1);
    }

    /** The parent of a context path, or null for a top-level path. */
    public static String parent(String path) {
        int i = path.lastIndexOf('/');
        int root = rootLength(path);
        if (i < 0 || i + 1 <= root) {
            return root > 0 && path.length() > root ? path.substring(0, root) : null;
        }
        return path.substring(0, i);
    }

    /**
     * The name of the Archive-mode archive of a mount: its last segment plus {@code ".zip"} ({@code
     * /home/project/.config/google-chrome} → {@code google-chrome.zip}, {@code /tmp} → {@code tmp.zip}).
     *
     * @throws SyncException if the path is a root (it has no last segment) or not a valid path
     */
    public static String archiveName(String mountPath) {
        String p = normalize(mountPath);
        int root = rootLength(p);
        if (p.length() == root) {
            throw new SyncException("Cannot name the archive of mount '" + mountPath
                    + "': a root has no last segment (mount a directory below the root)");
        }
        return p.substring(p.lastIndexOf('/') + 1) + ".zip";
    }

    /** The context path of a mount's Archive-mode archive: {@code <mount>/<last segment>.zip} (WIRE.md §9.3). */
    public static String archivePath(String mountPath) {
        return child(normalize(mountPath), archiveName(mountPath));
    }
}
