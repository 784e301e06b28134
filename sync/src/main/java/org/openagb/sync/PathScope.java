package org.openagb.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which paths under a mount a sync covers: the union of white-list entries, each a path relative to the mount
 * (a file or a directory; {@code ""} = the whole mount) minus its excludes (relative to the white-list path).
 * Matching is by whole path components: {@code src} covers {@code src/a} but not {@code srcx}. An empty list
 * covers the whole mount. Immutable and thread-safe.
 */
public final class PathScope {

    /** One white-list item. {@code path} and {@code excludePaths} are relative (a leading '/' is tolerated). */
    public record WhiteList(String path, List<String> excludePaths) {
        public WhiteList {
            Objects.requireNonNull(path, "path");
            excludePaths = List.copyOf(excludePaths == null ? List.of() : excludePaths);
        }

        public WhiteList(String path) {
            this(path, List.of());
        }
    }

    private record Rule(String path, List<String> excludes) {}

    private static final PathScope ALL = new PathScope(List.of(new Rule("", List.of())));

    private final List<Rule> rules;

    private PathScope(List<Rule> rules) {
        this.rules = rules;
    }

    /** The whole mount. */
    public static PathScope all() {
        return ALL;
    }

    /** A scope of relative white-list paths. */
    public static PathScope of(List<WhiteList> whiteLists) {
        return of(null, whiteLists);
    }

    /**
     * A scope for the mount {@code mountPath}; white-list paths written as absolute paths under the mount (e.g.
     * {@code /home/data/temp} for mount {@code /home/data}) are accepted too.
     *
     * @throws SyncException if a path contains a wildcard ({@code * ? [ ]}), {@code ".."} or a NUL character
     */
    public static PathScope of(String mountPath, List<WhiteList> whiteLists) {
        if (whiteLists == null || whiteLists.isEmpty()) {
            return ALL;
        }
        String mount = mountPath == null ? null : ContextPaths.normalize(mountPath);
        List<Rule> rules = new ArrayList<>();
        for (WhiteList w : whiteLists) {
            String base = relative(w.path(), mount, "white-list path");
            List<String> excludes = new ArrayList<>();
            for (String e : w.excludePaths()) {
                String rel = relative(e, null, "exclude path");
                if (rel.isEmpty()) {
                    throw new SyncException("Cannot use exclude path '" + e + "' of white-list path '" + w.path()
                            + "': it excludes the whole white-list path (remove the white-list entry instead)");
                }
                excludes.add(base.isEmpty() ? rel : base + "/" + rel);
            }
            rules.add(new Rule(base, List.copyOf(excludes)));
        }
        return new PathScope(List.copyOf(rules));
    }

    private static String relative(String raw, String mount, String what) {
        if (raw == null) {
            throw new SyncException("Cannot use " + what + " 'null' (pass \"\" for the whole mount)");
        }
        for (char c : new char[] {'*', '?', '[', ']'}) {
            if (raw.indexOf(c) >= 0) {
                throw new SyncException("Cannot use " + what + " '" + raw + "': wildcards (* ? [ ]) are not supported"
                        + " (list the paths explicitly)");
            }
        }
        String p = raw.trim();
        if (mount != null && p.startsWith("/") && !mount.equals("/")) {
            String abs = ContextPaths.normalize(p);
            if (ContextPaths.isUnderOrEqual(abs, mount)) {
                return ContextPaths.relativize(abs, mount);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") || part.indexOf('\0') >= 0) {
                throw new SyncException("Cannot use " + what + " '" + raw.replace("\0", "\\0")
                        + "': it contains '..' or NUL" + " (pass a path inside the mount)");
            }
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    private static boolean underOrEqual(String rel, String base) {
        return base.isEmpty()
                || rel.equals(base)
                || (rel.startsWith(base) && rel.length() > base.length() && rel.charAt(base.length()) == '/');
    }

    /** True if the path (relative to the mount, non-empty) is covered. */
    public boolean includes(String relativePath) {
        for (Rule r : rules) {
            if (underOrEqual(relativePath, r.path)
                    && r.excludes.stream().noneMatch(e -> underOrEqual(relativePath, e))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if a walk must descend into the directory {@code relativeDir}: it is covered, or it is an ancestor of
     * a white-list path. False means nothing below it is covered, so the walker may prune it.
     */
    public boolean mayContainIncluded(String relativeDir) {
        if (includes(relativeDir)) {
            return true;
        }
        for (Rule r : rules) {
            if (!r.path.isEmpty() && !r.path.equals(relativeDir) && underOrEqual(r.path, relativeDir)) {
                return true;
            }
        }
        return false;
    }

    /** True if this scope is the whole mount. */
    public boolean isAll() {
        return rules.stream().anyMatch(r -> r.path.isEmpty() && r.excludes.isEmpty());
    }

    @Override
    public String toString() {
        return "PathScope" + rules;
    }
}
