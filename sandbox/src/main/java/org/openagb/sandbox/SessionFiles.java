package org.openagb.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openagb.sandbox.internal.SessionPaths;

/**
 * Host-side access to one session's writable filesystem: {@code <sessionDir>/home} is the session's {@code /home},
 * {@code <sessionDir>/var-tmp} its {@code /var/tmp}, and so on.
 *
 * <p>Every in-session path is resolved inside the session: it must be absolute, {@code ..} may not climb above
 * {@code /}, and symlinks are followed as the session would see them but never out of its writable roots. Thread
 * safe (immutable).
 */
public final class SessionFiles {
    private final Path sessionDir;
    private final List<String> writableRoots;
    private final Map<String, Path> hostRoots;
    private final SessionPaths paths;

    private SessionFiles(Path sessionDir, List<String> writableRoots) {
        this.sessionDir = sessionDir.toAbsolutePath().normalize();
        this.writableRoots = List.copyOf(writableRoots);
        Map<String, Path> roots = new LinkedHashMap<>();
        for (String root : this.writableRoots) {
            roots.put(root, this.sessionDir.resolve(hostDirName(root)));
        }
        this.hostRoots = Map.copyOf(roots);
        this.paths = new SessionPaths(roots);
    }

    /** Files of the session stored in {@code sessionDir} with the given writable roots (nothing is created). */
    public static SessionFiles create(Path sessionDir, List<String> writableRoots) {
        Objects.requireNonNull(sessionDir, "sessionDir");
        return new SessionFiles(sessionDir, writableRoots);
    }

    /** The host directory holding every writable root of the session. */
    public Path sessionDir() {
        return sessionDir;
    }

    /** The in-session writable roots, e.g. {@code [/home, /tmp, /var/tmp]}. */
    public List<String> writableRoots() {
        return writableRoots;
    }

    /** The host directory backing the in-session writable root {@code root} (e.g. {@code /var/tmp}). */
    public Path hostRoot(String root) {
        Path dir = hostRoots.get(root);
        if (dir == null) {
            throw new SandboxException(
                    "Cannot find writable root '" + root + "': not one of " + String.join(", ", writableRoots));
        }
        return dir;
    }

    /**
     * The host path of {@code inSessionPath}, following symlinks as the session would.
     *
     * @throws SandboxException if the path is malformed or resolves outside the writable roots
     */
    public Path hostPath(String inSessionPath) {
        return resolve("access", inSessionPath, true).host();
    }

    /**
     * Creates the in-session directory {@code inSessionPath} and its parents ({@code mkdir -p}), e.g. a mount point,
     * and returns its host path.
     *
     * @throws SandboxException if the path is outside the writable roots or a file is in the way
     */
    public Path ensureDirectory(String inSessionPath) {
        Path host = resolve("create directory", inSessionPath, true).host();
        try {
            Files.createDirectories(host);
            for (Path root : hostRoots.values()) {
                if (host.startsWith(root)) {
                    for (Path p = host; !p.equals(root); p = p.getParent()) {
                        adoptOne(p, owner(root));
                    }
                }
            }
            return host;
        } catch (IOException e) {
            throw new SandboxException(
                    "Cannot create directory '" + inSessionPath + "': " + e.getMessage() + " (is a file in the way?)",
                    e);
        }
    }

    /**
     * Gives {@code hostPath} and everything below it (never following symlinks) to the owner of the writable root it
     * is in: what the server writes into a session (downloads, file tools) must belong to the session's uid, not to
     * the server. Does nothing when the session runs as the server's own uid, or for a path outside the roots.
     */
    public void adopt(Path hostPath) {
        Path normal = hostPath.toAbsolutePath().normalize();
        for (Path root : hostRoots.values()) {
            if (!normal.startsWith(root)) {
                continue;
            }
            int[] owner = owner(root);
            if (owner == null) {
                return;
            }
            if (chownTree(normal, owner)) {
                return;
            }
            try {
                Files.walkFileTree(normal, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        adoptOne(dir, owner);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        adoptOne(file, owner);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot give '" + hostPath + "' to the session: " + e.getMessage(), e);
            }
            return;
        }
    }

    /**
     * {@code chown -R -h -P uid:gid -- path}: one process walking with directory file descriptors (never following a
     * symlink, changing symlinks themselves), about five times faster than a walk from Java on a 12.5k-file download.
     * False if it could not run (no chown, or it failed), so that the caller walks itself.
     */
    private static boolean chownTree(Path path, int[] owner) {
        if (CHOWN == null) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(CHOWN, "-R", "-h", "-P", owner[0] + ":" + owner[1], "--", path.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static final String CHOWN = java.util.stream.Stream.of("/usr/bin/chown", "/bin/chown")
            .filter(c -> Files.isExecutable(Path.of(c)))
            .findFirst()
            .orElse(null);

    /** {uid, gid} of the root's owner when it differs from this process's uid (a session uid), else null. */
    private static int[] owner(Path root) {
        try {
            int uid = (Integer) Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int gid = (Integer) Files.getAttribute(root, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            return uid == PROCESS_UID ? null : new int[] {uid, gid};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void adoptOne(Path path, int[] owner) {
        if (owner == null) {
            return;
        }
        try {
            int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (uid != owner[0]) {
                Files.setAttribute(path, "unix:uid", owner[0], LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", owner[1], LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException | RuntimeException e) {
            // Vanished meanwhile (the session deleted it): nothing to give.
        }
    }

    private static final int PROCESS_UID = processUid();

    private static int processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Mounts the session's own disk again if it has one that is not mounted (after a reboot), so that a release can
     * upload what the session wrote. Does nothing otherwise.
     */
    public void attachDisk() {
        org.openagb.sandbox.internal.SessionDisk.attachIfPresent(sessionDir);
    }

    /** Creates the host directories of the writable roots; refuses a root that is a symlink. */
    public void createRoots() {
        for (var entry : hostRoots.entrySet()) {
            Path dir = entry.getValue();
            try {
                if (Files.isSymbolicLink(dir)) {
                    throw new SandboxException("Cannot use session directory '" + dir + "': it is a symbolic link");
                }
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new SandboxException("Cannot create session directory '" + dir + "': " + e.getMessage(), e);
            }
        }
    }

    /** Deletes the session's directory and everything in it, never following symlinks. Idempotent. */
    public void deleteAll() {
        if (!Files.exists(sessionDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // A server that was killed leaves its session mounts; they must go before the files can.
        org.openagb.sandbox.internal.Mounts.unmountAll(sessionDir);
        deleteTree(sessionDir);
    }

    /**
     * Deletes {@code dir} and everything below it, never following symlinks; read-only directories (an unpacked
     * image's) are made writable first. Idempotent; the one recursive delete of the sandbox and server modules.
     *
     * @throws UncheckedIOException if something cannot be deleted (a mount point, say)
     */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    d.toFile().setWritable(true, true);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete '" + dir + "': " + e, e);
        }
    }

    /** Resolution for the tools, which need the in-session result too. */
    SessionPaths.Resolved resolve(String verb, String inSessionPath, boolean followLast) {
        try {
            return paths.resolve(inSessionPath, followLast);
        } catch (SessionPaths.PathException e) {
            throw new SandboxException("Cannot " + verb + " '" + inSessionPath + "': " + e.getMessage(), e);
        }
    }

    SessionPaths paths() {
        return paths;
    }

    /** {@code /var/tmp} is stored as {@code var-tmp}. */
    static String hostDirName(String root) {
        return root.substring(1).replace('/', '-');
    }
}
