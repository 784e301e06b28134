package org.openagb.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openagb.sandbox.internal.BubblewrapSandbox;
import org.openagb.sandbox.internal.SandboxHost;
import org.openagb.sandbox.internal.SessionCgroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each session in a bubblewrap sandbox on this machine: an empty read-only root holding only the image's view
 * (for the embedded default, the host's system directories and an allow-list of {@code /etc}), a private
 * {@code /dev}, {@code /proc}, network (loopback only), pid, ipc and uts namespace, and the session's own writable
 * roots bound from its session directory. As root, each session runs as an unprivileged host uid of its own, mapped
 * to uid 0 inside a user namespace; every process starts through the {@code openagb-enter} helper (no capabilities,
 * {@code no_new_privs}, seccomp). See docs/security.md.
 *
 * <p>Each session is limited by {@link SandboxConfig#limits()}: memory and processes by cgroup v1 when the
 * controllers under {@link SandboxConfig#cgroupRoot()} are writable (else memory by {@code prlimit}; the mode is
 * logged once when the runtime is created), disk usage by a soft quota measured between calls, network off unless
 * {@link SessionLimits#network()}. See {@link SessionLimits}.
 *
 * <p>Thread safe. Sandboxes are spawned on one long-lived thread of this runtime, because bwrap's
 * {@code --die-with-parent} is tied to the spawning thread; they die with the JVM, and a shutdown hook removes
 * their cgroups.
 */
public final class BubblewrapSandboxRuntime implements SandboxRuntime {
    private static final Logger log = LoggerFactory.getLogger(BubblewrapSandboxRuntime.class);
    /** How often disk usage of every running sandbox is measured in the background. */
    static final long DISK_REFRESH_SECONDS = 5;

    private final SandboxConfig config;
    private final ExecutorService launcher;
    private final SessionCgroups.Probe cgroups;
    private final ScheduledExecutorService background;
    private final Set<BubblewrapSandbox> running = ConcurrentHashMap.newKeySet();
    private final SandboxHost host;

    /**
     * @throws SandboxException if bwrap or nsenter is missing; the message says what to install
     */
    public BubblewrapSandboxRuntime(SandboxConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        requireExecutable(
                config.bwrap(),
                "bubblewrap (bwrap) not found at " + config.bwrap()
                        + ": install it, e.g. apt-get install -y bubblewrap");
        requireExecutable(
                config.nsenter(),
                "nsenter not found at " + config.nsenter()
                        + ": install util-linux, e.g. apt-get install -y util-linux");
        for (String root : config.writableRoots()) {
            if (!Files.isDirectory(Path.of(root))) {
                throw new SandboxException("Cannot use writable root '" + root
                        + "': the directory does not exist in the image (create it or configure other roots)");
            }
        }
        this.host = SandboxHost.create();
        this.launcher = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "sandbox-launcher");
            thread.setDaemon(true);
            return thread;
        });
        this.cgroups = SessionCgroups.probe(config.cgroupRoot(), config.limits());
        log.info(
                "Session limits: {}; disk {}; network {}",
                cgroups.describe(config.limits()),
                config.limits().diskBytes() == 0
                        ? "not limited"
                        : "quota " + SessionLimits.format(config.limits().diskBytes())
                                + " per session (soft: measured between calls)",
                config.limits().network() ? "shared with the host" : "off (loopback only)");
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sandbox-limits");
            thread.setDaemon(true);
            return thread;
        });
        if (config.limits().diskBytes() > 0) {
            long maxAge = TimeUnit.SECONDS.toNanos(DISK_REFRESH_SECONDS) - TimeUnit.MILLISECONDS.toNanos(500);
            background.scheduleWithFixedDelay(
                    () -> refreshDiskUsage(maxAge), DISK_REFRESH_SECONDS, DISK_REFRESH_SECONDS, TimeUnit.SECONDS);
        }
        if (cgroups.memory() || cgroups.pids() || host.privileged()) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(this::closeAll, "sandbox-cgroup-cleanup"));
            } catch (IllegalStateException e) {
                // Already shutting down.
            }
        }
    }

    private void refreshDiskUsage(long maxAgeNanos) {
        for (BubblewrapSandbox sandbox : List.copyOf(running)) {
            if (!sandbox.isAlive()) {
                running.remove(sandbox);
                continue;
            }
            try {
                sandbox.refreshDiskUsage(maxAgeNanos);
            } catch (RuntimeException e) {
                log.debug("Cannot measure disk usage of {}: {}", sandbox, e.toString());
            }
        }
    }

    /** At JVM exit: kill every sandbox still running so that its cgroups can be removed; unmount the host's view. */
    private void closeAll() {
        List<BubblewrapSandbox> drained;
        synchronized (this) {
            closed = true;
            drained = List.copyOf(warm);
            warm.clear();
        }
        drained.forEach(this::discard);
        for (BubblewrapSandbox sandbox : List.copyOf(running)) {
            try {
                sandbox.close();
            } catch (RuntimeException e) {
                // Best effort at exit.
            }
        }
        try {
            host.close();
        } catch (RuntimeException e) {
            // Best effort at exit; the next server removes what is left.
        }
    }

    /** Which cgroup controllers this runtime limits sessions with. */
    public SessionCgroups.Probe cgroups() {
        return cgroups;
    }

    /** A runtime with {@link SandboxConfig#defaults()}. */
    public static BubblewrapSandboxRuntime create() {
        return new BubblewrapSandboxRuntime(SandboxConfig.defaults());
    }

    public SandboxConfig config() {
        return config;
    }

    /** Sandboxes started ahead of time, with where they live; guarded by {@code this}. */
    private final java.util.ArrayDeque<BubblewrapSandbox> warm = new java.util.ArrayDeque<>();

    private Path warmRoot;
    private Path warmHidden;
    private int warmCount;
    private boolean closed;
    static final String WARM_PREFIX = "warm-";

    @Override
    public void warmUp(Path sessionsRoot, Path hiddenDir, int count) {
        Path root = sessionsRoot.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            try (var dirs = Files.newDirectoryStream(root, WARM_PREFIX + "*")) {
                for (Path dir : dirs) {
                    // What a killed server left of its pool: unmount, delete.
                    try {
                        SessionFiles.create(dir.resolve("fs"), config.writableRoots())
                                .deleteAll();
                        SessionFiles.deleteTree(dir);
                    } catch (RuntimeException e) {
                        log.warn("Cannot remove the earlier warm sandbox {}: {}", dir, e.getMessage());
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new SandboxException(
                    "Cannot prepare sandboxes ahead of time in '" + root + "': " + e.getMessage(), e);
        }
        synchronized (this) {
            warmRoot = root;
            warmHidden = hiddenDir;
            warmCount = Math.max(0, count);
        }
        refill();
    }

    /** Starts sandboxes on the launcher thread until the pool is full. */
    private void refill() {
        int missing;
        synchronized (this) {
            missing = closed || warmRoot == null ? 0 : warmCount - warm.size() - refilling;
            refilling += Math.max(0, missing);
        }
        for (int i = 0; i < missing; i++) {
            launcher.submit(() -> {
                BubblewrapSandbox sandbox = null;
                try {
                    Path root;
                    Path hidden;
                    synchronized (this) {
                        root = warmRoot;
                        hidden = warmHidden;
                    }
                    String id = WARM_PREFIX
                            + java.util
                                    .UUID
                                    .randomUUID()
                                    .toString()
                                    .replace("-", "")
                                    .substring(0, 16);
                    sandbox = BubblewrapSandbox.start(
                            config,
                            new SandboxSpec(id, root.resolve(id).resolve("fs"), hidden),
                            cgroups,
                            background,
                            host);
                } catch (RuntimeException e) {
                    log.warn("Cannot start a sandbox ahead of time: {}", e.getMessage());
                } finally {
                    synchronized (this) {
                        refilling--;
                        if (sandbox != null && !closed) {
                            warm.add(sandbox);
                            sandbox = null;
                        }
                    }
                    if (sandbox != null) {
                        discard(sandbox);
                    }
                }
            });
        }
    }

    private int refilling;

    /** A warm sandbox for {@code spec}, renamed to its session, or {@code null}. */
    private BubblewrapSandbox takeWarm(SandboxSpec spec) {
        Path sessionDir = spec.sessionDir();
        Path parent = sessionDir.getParent();
        BubblewrapSandbox sandbox;
        synchronized (this) {
            if (warmRoot == null
                    || !spec.imageRoot().equals(Path.of("/"))
                    || !sessionDir.getFileName().toString().equals("fs")
                    || parent == null
                    || !warmRoot.equals(parent.getParent())
                    || !java.util.Objects.equals(warmHidden, spec.hiddenDir())
                    || Files.exists(parent, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            sandbox = warm.poll();
        }
        if (sandbox == null) {
            return null;
        }
        refill();
        if (!sandbox.isAlive()) {
            discard(sandbox);
            return null;
        }
        Path from = sandbox.files().sessionDir().getParent();
        try {
            // The session directory's parent, not the mount point itself: a mount point cannot be renamed.
            Files.move(from, parent, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            log.warn("Cannot move warm sandbox {} to {}: {}", from, parent, e.toString());
            discard(sandbox);
            return null;
        }
        return sandbox.renamed(spec.sessionId(), sessionDir, background);
    }

    private void discard(BubblewrapSandbox sandbox) {
        try {
            sandbox.close();
            sandbox.files().deleteAll();
            SessionFiles.deleteTree(sandbox.files().sessionDir().getParent());
        } catch (RuntimeException e) {
            log.debug("Cannot discard warm sandbox {}: {}", sandbox, e.toString());
        }
    }

    @Override
    public void close() {
        List<BubblewrapSandbox> drained;
        synchronized (this) {
            closed = true;
            drained = List.copyOf(warm);
            warm.clear();
        }
        // Warm sandboxes still starting are discarded when they finish (closed is set).
        launcher.submit(() -> {}); // let a start in progress finish first
        for (BubblewrapSandbox sandbox : drained) {
            discard(sandbox);
        }
        try {
            launcher.submit(() -> {}).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Best effort.
        }
    }

    @Override
    public Sandbox start(SandboxSpec spec) {
        Objects.requireNonNull(spec, "spec");
        running.removeIf(s -> !s.isAlive());
        BubblewrapSandbox taken = takeWarm(spec);
        if (taken != null) {
            running.add(taken);
            return taken;
        }
        Future<BubblewrapSandbox> started =
                launcher.submit(() -> BubblewrapSandbox.start(config, spec, cgroups, background, host));
        try {
            BubblewrapSandbox sandbox = started.get();
            running.add(sandbox);
            return sandbox;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.cancel(true);
            throw new SandboxException("Cannot start sandbox for session '" + spec.sessionId() + "': interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new SandboxException(
                    "Cannot start sandbox for session '" + spec.sessionId() + "': " + e.getCause(), e.getCause());
        }
    }

    private static void requireExecutable(Path path, String message) {
        if (!Files.isExecutable(path) || Files.isDirectory(path)) {
            throw new SandboxException(message);
        }
    }
}
