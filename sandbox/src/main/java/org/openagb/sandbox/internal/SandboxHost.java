package org.openagb.sandbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.openagb.sandbox.SandboxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this host gives sandboxes: the {@code openagb-enter} helper, and, when the server runs as root, one
 * unprivileged host uid per session and the mounts that keep the server's own IO on session files race-free.
 *
 * <p>As root, each session gets a uid from {@code [1000000000, 1001000000)} that owns nothing else on the host;
 * bubblewrap runs as that uid and maps it to uid 0 inside. Its session directory is bound (a) read-write below
 * {@code /run/openagb/<server>/s/<session>}, a path that uid can reach (the data directory stays 0700), as bwrap's
 * source, and (b) on itself with {@code nosymfollow}, so no path the server resolves below it can follow a symlink a
 * session planted or swapped in. Without root, sandboxes run as the server's uid and nothing is mounted (see
 * docs/security.md for what that leaves).
 *
 * <p>Thread safe.
 */
public final class SandboxHost {
    private static final Logger log = LoggerFactory.getLogger(SandboxHost.class);
    static final int UID_BASE = 1_000_000_000;
    static final int UID_RANGE = 1_000_000;
    private static final Set<Integer> USED_UIDS = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Path RUN_ROOT = Path.of("/run/openagb");
    static final String HELPER_RESOURCE = "/org/openagb/sandbox/openagb-enter";
    /** Where the helper appears inside every sandbox. */
    public static final String HELPER_IN_SANDBOX = "/.openagb/enter";

    private final boolean privileged;
    private final Path runtimeDir;
    private final Path helper;
    private final boolean hardDiskQuota;
    /** The embedded image's /etc, built once: binds of the allow-listed host entries ({@code null} unprivileged). */
    private final Path etcView;

    private SandboxHost(boolean privileged, Path runtimeDir, Path helper, Path etcView) {
        this.privileged = privileged;
        this.etcView = etcView;
        this.hardDiskQuota = privileged && SessionDisk.available();
        this.runtimeDir = runtimeDir;
        this.helper = helper;
    }

    /**
     * Prepares the host: a runtime directory, the helper in it, and (as root) removal of what dead servers left.
     *
     * @throws SandboxException if the helper is missing from the build or cannot be installed
     */
    public static SandboxHost create() {
        boolean root = effectiveUid() == 0;
        try {
            Path dir;
            if (root) {
                Files.createDirectories(RUN_ROOT);
                Files.setPosixFilePermissions(RUN_ROOT, PosixFilePermissions.fromString("rwx--x--x"));
                removeStale();
                dir = RUN_ROOT.resolve(ProcessHandle.current().pid() + "-" + Long.toHexString(RANDOM.nextLong()));
                Files.createDirectory(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
                Files.createDirectory(dir.resolve("s"));
                Files.setPosixFilePermissions(dir.resolve("s"), PosixFilePermissions.fromString("rwx--x--x"));
            } else {
                dir = Files.createTempDirectory("openagb-run");
            }
            Path helper = dir.resolve("openagb-enter");
            try (InputStream in = SandboxHost.class.getResourceAsStream(HELPER_RESOURCE)) {
                if (in == null) {
                    throw new SandboxException("Cannot start sandboxes: the helper openagb-enter is missing from the"
                            + " build (rebuild with a C compiler and static libc, e.g. apt-get install -y gcc"
                            + " libc6-dev, then mvn -B package)");
                }
                Files.copy(in, helper, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("r-xr-xr-x"));
            log.info(
                    "Sandboxes: {}",
                    root
                            ? "one unprivileged host uid per session, session directories bound nosymfollow for the"
                                    + " server's IO, "
                                    + (SessionDisk.available()
                                            ? "hard disk quotas (a filesystem per" + " session)"
                                            : "soft disk quotas (no mkfs.ext4)")
                                    + " (runtime directory " + dir
                                    + ")"
                            : "as the server's own uid (not root): symlink races on session files are not excluded;"
                                    + " run the server as root for full isolation");
            Path etcView = root ? buildEtcView(dir.resolve("etc")) : null;
            return new SandboxHost(root, dir, helper, etcView);
        } catch (IOException e) {
            throw new SandboxException("Cannot prepare the host for sandboxes: " + e.getMessage(), e);
        }
    }

    /**
     * Before a sandbox starts on {@code fsDir}: removes the mounts a killed server left there and, as root with a
     * disk quota, mounts the session's own filesystem of that size ({@link SessionDisk}), so the quota is hard.
     */
    void attach(Path fsDir, long diskBytes) {
        if (!privileged) {
            return;
        }
        Mounts.unmountAll(fsDir);
        if (diskBytes > 0 && hardDiskQuota) {
            SessionDisk.attach(fsDir, diskBytes);
        }
    }

    /**
     * The embedded image's {@code /etc} as one directory: the allow-listed host entries bound into it (files, dirs)
     * or copied (symlinks), and empty files where each session's generated ones are bound. A sandbox then binds this
     * one directory instead of dozens of entries, which halves bubblewrap's start-up.
     */
    private static Path buildEtcView(Path view) throws IOException {
        Files.createDirectory(view);
        Files.setPosixFilePermissions(view, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = Path.of("/etc");
        for (String name : RootView.etcEntries(etc)) {
            Path host = etc.resolve(name);
            Path target = view.resolve(name);
            if (Files.isSymbolicLink(host)) {
                Files.createSymbolicLink(target, Files.readSymbolicLink(host));
            } else if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(target);
                Mounts.bind(host, target);
            } else if (Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(target);
                Mounts.bind(host, target);
            }
        }
        for (String name : RootView.GENERATED) {
            Path placeholder = view.resolve(name);
            Files.deleteIfExists(placeholder);
            Files.createFile(placeholder);
            Files.setPosixFilePermissions(placeholder, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return view;
    }

    /** The embedded image's prepared {@code /etc}, or {@code null} (then RootView binds each entry). */
    Path etcView() {
        return etcView;
    }

    /** Unmounts what this host mounted for all sandboxes; at shutdown. */
    public void close() {
        if (etcView != null) {
            Mounts.unmountAll(etcView);
        }
    }

    /** Whether sessions get their own unprivileged uid (the server runs as root). */
    public boolean privileged() {
        return privileged;
    }

    /** Host path of the helper, readable by every session uid. */
    public Path helper() {
        return helper;
    }

    /**
     * Gives the session directory {@code fsDir} (already holding its writable roots) to a fresh uid and mounts it.
     *
     * @param tmpRoots host directories of writable roots that get mode 1777 (the session's {@code /tmp}s)
     */
    Prepared prepare(String sessionId, Path fsDir, List<Path> roots, List<Path> tmpRoots, Path imageRoot) {
        boolean embedded = imageRoot.equals(Path.of("/"));
        if (!privileged) {
            return new Prepared(-1, fsDir, null, fsDir, imageRoot, null);
        }
        int uid = allocateUid();
        Path mountPoint = runtimeDir.resolve("s").resolve(sessionId);
        Path imagePoint = embedded ? null : runtimeDir.resolve("i").resolve(sessionId);
        try {
            if (imagePoint != null) {
                // The image lies in the 0700 data directory; bwrap (as the session's uid) reads it through a
                // read-only bind here.
                Files.createDirectories(imagePoint);
                Files.setPosixFilePermissions(imagePoint.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
                Mounts.unmountAll(imagePoint);
                Mounts.bindReadOnly(imageRoot, imagePoint);
            }
            Files.setAttribute(fsDir, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(fsDir, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setPosixFilePermissions(fsDir, PosixFilePermissions.fromString("rwx------"));
            for (Path root : roots) {
                Files.setAttribute(root, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(root, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(
                        root, "unix:mode", tmpRoots.contains(root) ? 01777 : 0755, LinkOption.NOFOLLOW_LINKS);
            }
            Files.createDirectories(mountPoint);
            Mounts.bind(fsDir, mountPoint);
            Mounts.bindNoSymlinks(fsDir);
            return new Prepared(uid, mountPoint, fsDir, mountPoint, embedded ? imageRoot : imagePoint, imagePoint);
        } catch (IOException | RuntimeException e) {
            try {
                Mounts.unmountAll(fsDir);
                Mounts.unmountAll(mountPoint);
                Files.deleteIfExists(mountPoint);
                if (imagePoint != null) {
                    Mounts.unmountAll(imagePoint);
                    Files.deleteIfExists(imagePoint);
                }
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            USED_UIDS.remove(uid);
            throw new SandboxException(
                    "Cannot prepare the directory of session '" + sessionId + "': " + e.getMessage(), e);
        }
    }

    /** Undoes {@link #prepare}: unmounts, frees the uid. The files stay. Idempotent. */
    void release(Prepared prepared) {
        if (prepared.uid() < 0) {
            return;
        }
        try {
            // The nosymfollow bind and the session's disk: the files stay in the disk image, and whoever needs them
            // without a sandbox mounts it again (SessionFiles.attachDisk).
            Mounts.unmountAll(prepared.fsDir());
            Mounts.unmountAll(prepared.mountPoint());
            Files.deleteIfExists(prepared.mountPoint());
            if (prepared.imagePoint() != null) {
                Mounts.unmountAll(prepared.imagePoint());
                Files.deleteIfExists(prepared.imagePoint());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot remove the mounts of {}: {}", prepared.mountPoint(), e.toString());
        }
        USED_UIDS.remove(prepared.uid());
    }

    /**
     * A prepared session directory.
     *
     * @param uid the session's host uid, {@code -1} when sessions run as the server's uid
     * @param mountPoint where bwrap reads the session directory from ({@code fsDir} itself when unprivileged)
     * @param fsDir the session directory, bound nosymfollow ({@code null} when unprivileged)
     * @param source the directory bwrap's {@code --bind} sources are under
     * @param imageView where bwrap reads the image's root filesystem from
     * @param imagePoint the read-only bind of the image, or {@code null} (embedded image, or unprivileged)
     */
    record Prepared(int uid, Path mountPoint, Path fsDir, Path source, Path imageView, Path imagePoint) {}

    private static int allocateUid() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int uid = UID_BASE + RANDOM.nextInt(UID_RANGE);
            if (USED_UIDS.add(uid)) {
                return uid;
            }
        }
        throw new SandboxException("Cannot find a free session uid (more than a million sessions?)");
    }

    /** Runtime directories of servers that are gone: unmount and delete them. */
    private static void removeStale() {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(RUN_ROOT)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                int dash = name.indexOf('-');
                if (dash <= 0) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(name.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Mounts.unmountAll(dir);
                if (!Mounts.anyAtOrBelow(dir)) {
                    org.openagb.sandbox.SessionFiles.deleteTree(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot clean {}: {}", RUN_ROOT, e.toString());
        }
    }

    /** The effective uid of this process, from {@code /proc/self/status}; {@code -1} if unknown. */
    static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
