package org.openagb.sandbox.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves in-session paths to host paths without ever leaving the session's writable roots.
 *
 * <p>The path is normalised lexically ({@code ..} may not climb above {@code /}), then walked component by
 * component on the host. A symlink met on the way is interpreted in the session's namespace: an absolute target
 * starts again from the session's {@code /}, a relative one from the link's directory. After at most 40 links the
 * walk must end under a writable root; anything else is refused. Components outside the writable roots are never
 * looked at on the host (they belong to the read-only image, which the host cannot see as the session does).
 *
 * <p>Checks happen at resolution time; callers open the final component with {@code NOFOLLOW_LINKS} so a link
 * swapped in afterwards is not followed. Thread safe (immutable).
 */
public final class SessionPaths {
    private static final int MAX_LINKS = 40;

    /** A resolved path: the in-session path after following links, and where it lives on the host. */
    public record Resolved(String requested, String path, Path host, boolean viaLink) {
        public boolean isRoot(List<String> roots) {
            return roots.contains(path);
        }
    }

    private final Map<String, Path> hostRoots;
    private final List<List<String>> rootComponents = new ArrayList<>();

    public SessionPaths(Map<String, Path> hostRoots) {
        this.hostRoots = new LinkedHashMap<>(hostRoots);
        for (String root : hostRoots.keySet()) {
            rootComponents.add(split(root));
        }
    }

    public List<String> roots() {
        return List.copyOf(hostRoots.keySet());
    }

    /**
     * Resolves {@code raw}, following a symlink in the last component only if {@code followLast}.
     *
     * @throws PathException with the reason (without the "Cannot verb 'path'" prefix)
     */
    public Resolved resolve(String raw, boolean followLast) {
        List<String> requested = normalise(raw);
        Deque<String> pending = new ArrayDeque<>(requested);
        List<String> current = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.pollFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!current.isEmpty()) {
                    current.remove(current.size() - 1);
                }
                continue;
            }
            current.add(name);
            boolean last = pending.isEmpty();
            Path host = hostPath(current);
            if (host == null || (last && !followLast) || !Files.isSymbolicLink(host)) {
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new PathException("too many levels of symbolic links (more than " + MAX_LINKS + ")");
            }
            String target;
            try {
                target = Files.readSymbolicLink(host).toString();
            } catch (IOException e) {
                throw new PathException("cannot read symbolic link '" + join(current) + "': " + e.getMessage());
            }
            current.remove(current.size() - 1);
            if (target.startsWith("/")) {
                current.clear();
            }
            List<String> parts = split(target);
            for (int i = parts.size() - 1; i >= 0; i--) {
                pending.addFirst(parts.get(i));
            }
        }
        String resolved = join(current);
        Path host = hostPath(current);
        if (host == null) {
            String where = links > 0 ? "it resolves to '" + resolved + "', which is " : "";
            throw new PathException(
                    where + "outside the session's writable roots (" + String.join(", ", roots()) + ")");
        }
        return new Resolved(join(requested), resolved, host, links > 0);
    }

    /** The lexically normalised absolute form of {@code raw}. */
    public static String normalisedPath(String raw) {
        return join(normalise(raw));
    }

    private static List<String> normalise(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new PathException("the path is empty (give an absolute path such as /home/file.txt)");
        }
        if (raw.indexOf('\0') >= 0) {
            throw new PathException("the path contains a NUL character");
        }
        if (!raw.startsWith("/")) {
            throw new PathException("the path is not absolute (give an absolute path such as /home/" + raw + ")");
        }
        List<String> out = new ArrayList<>();
        for (String part : raw.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (out.isEmpty()) {
                    throw new PathException("'..' leads above / (remove it)");
                }
                out.remove(out.size() - 1);
            } else {
                out.add(part);
            }
        }
        return out;
    }

    private Path hostPath(List<String> components) {
        int i = 0;
        for (var entry : hostRoots.entrySet()) {
            List<String> root = rootComponents.get(i++);
            if (components.size() >= root.size()
                    && components.subList(0, root.size()).equals(root)) {
                Path host = entry.getValue();
                for (String c : components.subList(root.size(), components.size())) {
                    host = host.resolve(c);
                }
                return host;
            }
        }
        return null;
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return out;
    }

    static String join(List<String> components) {
        return "/" + String.join("/", components);
    }

    /** A path that cannot be resolved inside the session; the message is the reason. */
    public static final class PathException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PathException(String reason) {
            super(reason);
        }
    }
}
