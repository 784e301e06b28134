package org.openagb.server.internal.session;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openagb.sandbox.Sandbox;
import org.openagb.sandbox.SandboxRuntime;
import org.openagb.sandbox.SandboxSpec;
import org.openagb.sandbox.SessionFiles;
import org.openagb.sandbox.SessionLimits;
import org.openagb.server.ImageCatalog;
import org.openagb.server.ServerConfig;
import org.openagb.server.internal.context.ContextRecord;
import org.openagb.server.internal.context.ContextService;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Json;
import org.openagb.server.internal.sync.Mount;
import org.openagb.server.internal.sync.MountPaths;
import org.openagb.server.internal.sync.SyncService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session lifecycle: create (sandbox, mounts, download tasks registered before the reply), lookup scoped to the
 * caller's key, durable release (upload, then destroy, then report gone), idle release and crash recovery.
 *
 * <p>Thread-safe. A release is durable: the row moves to {@code DELETING} before the reply, and a server that
 * starts with {@code DELETING} rows finishes those releases, uploads included.
 *
 * <p>Why it is this long: a session's whole life (admission, create, idle reaping, the durable release and its crash
 * recovery, warm-up) shares one registry and one state machine; request parsing is in CreateSessionRequest, sync
 * in SyncService.
 */
public final class SessionService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionService.class);

    private final ServerConfig config;
    private final SessionStore store;
    private final ContextService contexts;
    private final SyncService sync;
    private final SandboxRuntime runtime;
    private final ImageCatalog images;
    private final Clock clock;
    private final LiveSessions live;
    private final ExecutorService releases = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "openagb-release");
        t.setDaemon(true);
        return t;
    });

    public SessionService(
            ServerConfig config,
            SessionStore store,
            ContextService contexts,
            SyncService sync,
            SandboxRuntime runtime,
            ImageCatalog images,
            LiveSessions live,
            Clock clock) {
        this.live = live;
        this.config = config;
        this.images = images;
        this.store = store;
        this.contexts = contexts;
        this.sync = sync;
        this.runtime = runtime;
        this.clock = clock;
    }

    /** Sessions admitted whose sandbox is not yet in {@link #live}. */
    private final java.util.concurrent.atomic.AtomicInteger creating = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Admission control: the memory limits of this node's sessions may not add up to more than its budget
     * ({@link ServerConfig#sessionMemoryBudget()}), and a session's disk quota must fit in the data directory's free
     * space. Counts the new session in {@link #creating} when admitted.
     *
     * @throws ApiException 503 {@code InsufficientCapacity} naming what is full and how to make room
     */
    private synchronized void admit() {
        var limits = config.sessionLimits();
        long budget = config.sessionMemoryBudget();
        int sessions = live.size() + creating.get();
        if (limits.memoryBytes() > 0 && (sessions + 1) * limits.memoryBytes() > budget) {
            throw new ApiException(
                    503,
                    "InsufficientCapacity",
                    "Cannot create a session: this node has promised "
                            + SessionLimits.format(sessions * limits.memoryBytes())
                            + " of its " + SessionLimits.format(budget) + " session memory to " + sessions
                            + " live sessions of " + SessionLimits.format(limits.memoryBytes())
                            + " each (release a session, lower the session memory limit, or add a node)");
        }
        if (limits.diskBytes() > 0) {
            long free;
            try {
                free = java.nio.file.Files.getFileStore(config.dataDir()).getUsableSpace();
            } catch (IOException e) {
                free = Long.MAX_VALUE;
            }
            if (limits.diskBytes() > free) {
                throw new ApiException(
                        503,
                        "InsufficientCapacity",
                        "Cannot create a session: its disk quota of " + SessionLimits.format(limits.diskBytes())
                                + " is more than the " + SessionLimits.format(free) + " free where the data directory"
                                + " is (free space, or lower the session disk quota)");
            }
        }
        creating.incrementAndGet();
    }

    public LiveSession create(String tenant, CreateSessionRequest request) {
        String imageId = request.imageId();
        if (imageId.isBlank()) {
            throw ApiException.invalid("Missing imageId (use one of " + String.join(", ", imageIds()) + ")");
        }
        if (images.find(imageId).isEmpty()) {
            throw ApiException.invalid(
                    "Unknown imageId '" + imageId + "' (this server has " + String.join(", ", imageIds()) + ")");
        }
        // Across the cluster: the key's running sessions on every node that is up.
        long running = store.countRunning(tenant);
        if (running >= config.maxSessionsPerKey()) {
            throw new ApiException(
                    429,
                    "QuotaExceeded.Sessions",
                    "Cannot create a session: this API key already has "
                            + running
                            + " live sessions on the nodes of this cluster, the limit (release some with"
                            + " releaseSessionAsync, or start the servers with a higher maxSessionsPerKey)");
        }
        List<Mount> mounts = resolveMounts(tenant, request.mounts());
        if (mounts.stream().anyMatch(Mount::uploadsAutomatically)) {
            contexts.quota().requireRoom(tenant, 0, "create a session that uploads to its contexts");
        }
        long idleMs = request.idleTimeout().orElse(config.defaultIdleTimeout()).toMillis();
        String id = "session-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        String mountsJson =
                Json.write(mounts.stream().map(SessionService::mountJson).toList());
        SessionRecord record = new SessionRecord(
                id,
                tenant,
                imageId,
                SessionState.RUNNING,
                request.labelsJson(),
                mountsJson,
                request.mcpPolicyId().orElse(null),
                idleMs,
                clock.millis(),
                null);
        admit();
        try {
            store.insert(record);
        } catch (RuntimeException e) {
            creating.decrementAndGet();
            throw e;
        }
        LiveSession session;
        boolean counted = true;
        try {
            session = open(record, mounts);
            creating.decrementAndGet(); // counted in live from now on
            counted = false;
            startSandbox(session);
            for (Mount mount : mounts) {
                session.files().ensureDirectory(mount.normalizedPath());
            }
        } catch (RuntimeException e) {
            if (counted) {
                creating.decrementAndGet();
            }
            store.transition(id, SessionState.RUNNING, SessionState.RELEASED, clock.millis());
            LiveSession half = live.remove(id);
            if (half != null && half.sandbox() != null) {
                half.sandbox().close();
            }
            throw e;
        }
        sync.startDownloads(session);
        log.info("event=session.created session={} tenant={} image={} mounts={}", id, tenant, imageId, mounts.size());
        return session;
    }

    private List<String> imageIds() {
        return images.ids();
    }

    /** The requested mounts with their contexts checked (this key's, not internal) and paths normalised. */
    private List<Mount> resolveMounts(String tenant, List<CreateSessionRequest.MountSpec> specs) {
        List<Mount> mounts = new ArrayList<>();
        for (CreateSessionRequest.MountSpec spec : specs) {
            String contextId = spec.contextId();
            String path = spec.path();
            ContextRecord context = contexts.byId(tenant, contextId)
                    .orElseThrow(() -> ApiException.contextNotFound("with id '" + contextId + "'"));
            if (context.internal()) {
                throw ApiException.invalid("Cannot mount context '" + contextId + "' at '" + path + "': it is the"
                        + " internal " + context.kind().dbName() + " context of session " + context.ownerSession()
                        + " and cannot be mounted (use a context from GetContext)");
            }
            String normalized = MountPaths.normalize(path, config.writableRoots());
            for (Mount other : mounts) {
                if (MountPaths.overlaps(other.normalizedPath(), normalized)) {
                    throw new ApiException(
                            400,
                            "InvalidParameter.PathAlreadyBound",
                            "Cannot mount context '"
                                    + contextId + "' at '" + path + "': it "
                                    + (other.normalizedPath().equals(normalized) ? "is the same path as" : "overlaps")
                                    + " the mount of context '" + other.contextId() + "' at '" + other.path()
                                    + "' (use separate, non-nested paths)");
                }
            }
            if (spec.version() != null) {
                sync.requireVersion(context.id(), spec.version());
            }
            mounts.add(new Mount(mounts.size(), context.id(), path, normalized, spec.policy(), spec.version()));
        }
        return mounts;
    }

    private static Map<String, String> mountJson(Mount m) {
        Map<String, String> item = new java.util.LinkedHashMap<>();
        item.put("contextId", m.contextId());
        item.put("path", m.path());
        item.put("policy", Json.write(m.policy()));
        if (m.version() != null) {
            item.put("version", String.valueOf(m.version()));
        }
        return item;
    }

    private LiveSession open(SessionRecord record, List<Mount> mounts) {
        Path stateDir = sessionDir(record.id()).resolve("state");
        SessionFiles files = SessionFiles.create(spec(record.id(), null).sessionDir(), config.writableRoots());
        LiveSession session = new LiveSession(record, mounts, stateDir, files, clock.millis());
        live.put(record.id(), session);
        return session;
    }

    private SandboxSpec spec(String sessionId, String imageId) {
        Path imageRoot = imageId == null
                ? null
                : images.find(imageId).map(ImageCatalog.Image::root).orElse(null);
        return new SandboxSpec(sessionId, sessionDir(sessionId).resolve("fs"), config.dataDir(), imageRoot);
    }

    /**
     * Starts the session's sandbox, then its state directory: the session directory must not exist before, so that
     * the runtime can hand over a sandbox started ahead of time (renamed to it).
     */
    private void startSandbox(LiveSession session) {
        Sandbox sandbox = runtime.start(spec(session.id(), session.record().imageId()));
        session.sandbox(sandbox);
        Path stateDir = sessionDir(session.id()).resolve("state");
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create session directory '" + stateDir + "': " + e.getMessage(), e);
        }
    }

    private Path sessionDir(String id) {
        return config.dataDir().resolve("sessions").resolve(id);
    }

    /** A running session of this tenant, for tool calls and syncs; anything else is not found. */
    public Optional<LiveSession> running(String tenant, String id) {
        LiveSession session = id == null ? null : live.get(id);
        if (session == null || !session.tenant().equals(tenant) || session.status() != SessionState.RUNNING) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /**
     * A running session of this node by id alone, whichever key owns it: for callers that authorised the session by
     * its token (the LinkUrl route, the WebSocket, port links); empty if it is not running here.
     */
    public Optional<LiveSession> runningById(String id) {
        LiveSession session = id == null ? null : live.get(id);
        return session == null || session.status() != SessionState.RUNNING ? Optional.empty() : Optional.of(session);
    }

    /** Whether the session's sandbox lives on this node (whatever its state): calls about it are answered here. */
    public boolean isLocal(String id) {
        return live.get(id) != null;
    }

    /** A session that is running or being released; released and unknown sessions are not found. */
    public Optional<SessionRecord> visible(String tenant, String id) {
        LiveSession session = id == null ? null : live.get(id);
        if (session != null && session.tenant().equals(tenant)) {
            return Optional.of(withStatus(session.record(), session.status()));
        }
        Optional<SessionRecord> row = id == null ? Optional.empty() : store.byId(id);
        return row.filter(r ->
                r.tenant().equals(tenant) && (r.status() == SessionState.DELETING || r.status() == SessionState.LOST));
    }

    private static SessionRecord withStatus(SessionRecord r, SessionState status) {
        return new SessionRecord(
                r.id(),
                r.tenant(),
                r.imageId(),
                status,
                r.labels(),
                r.mounts(),
                r.mcpPolicyId(),
                r.idleTimeoutMs(),
                r.createdAt(),
                r.releasedAt());
    }

    public List<LiveSession> liveSessions() {
        return List.copyOf(live.values());
    }

    /**
     * Starts releasing a running session of {@code tenant}: the row becomes DELETING before this returns, upload and
     * teardown follow; the future completes once the release committed (the session is then not found).
     *
     * @throws ApiException not found if the tenant has no such running session
     */
    public java.util.concurrent.CompletableFuture<Void> releaseAsync(String tenant, String id) {
        Optional<LiveSession> found = running(tenant, id);
        if (found.isEmpty() && id != null) {
            // A lost session (its node went down): releasing it only ends it; there is nothing left to upload here.
            Optional<SessionRecord> lost =
                    store.byId(id).filter(r -> r.tenant().equals(tenant) && r.status() == SessionState.LOST);
            if (lost.isPresent() && store.transition(id, SessionState.LOST, SessionState.RELEASED, clock.millis())) {
                log.info("event=session.released session={} reason=lost", id);
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
        }
        LiveSession session = found.orElseThrow(() -> ApiException.sessionNotFound(id));
        beginRelease(session, "api");
        return session.released();
    }

    private void beginRelease(LiveSession session, String reason) {
        synchronized (session) {
            if (session.status() != SessionState.RUNNING) {
                return;
            }
            store.transition(session.id(), SessionState.RUNNING, SessionState.DELETING, null);
            session.status(SessionState.DELETING);
        }
        log.info("event=session.release.start session={} reason={}", session.id(), reason);
        releases.submit(() -> {
            if (!config.releaseDelay().isZero()) {
                sleep(config.releaseDelay().toMillis());
            }
            finishRelease(session);
        });
    }

    private void finishRelease(LiveSession session) {
        try {
            sync.uploadForRelease(session);
            Sandbox sandbox = session.sandbox();
            if (sandbox != null) {
                sandbox.close();
            }
            for (ContextRecord internal : contexts.store().ownedBySession(session.id())) {
                contexts.destroyInternal(internal);
            }
            session.files().deleteAll();
            SessionFiles.deleteTree(sessionDir(session.id()));
            sync.forget(session.id());
            store.transition(session.id(), SessionState.DELETING, SessionState.RELEASED, clock.millis());
            session.status(SessionState.RELEASED);
            live.remove(session.id());
            session.released().complete(null);
            log.info("event=session.released session={}", session.id());
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            // The row stays DELETING and the files stay: the next start (or the retry below) finishes the job.
            // Errors are caught too: a release that dies silently would leave the session DELETING forever.
            log.error(
                    "event=session.release.failed session={} error=\"{}\" (will retry)",
                    session.id(),
                    e.getMessage(),
                    e);
            releases.submit(() -> {
                sleep(5_000);
                finishRelease(session);
            });
        }
    }

    /**
     * Ends the live sessions of this node that the cluster marked LOST (this node missed its heartbeats, say in a long
     * pause, and the others gave its sessions up): each is released, upload included, so what it wrote since its last
     * checkpoint is not thrown away. Called after each heartbeat; returns how many.
     */
    public int releaseLost() {
        int n = 0;
        for (SessionRecord row : store.withStatus(SessionState.LOST)) {
            LiveSession session = live.get(row.id());
            if (session == null || !store.transition(row.id(), SessionState.LOST, SessionState.DELETING, null)) {
                continue;
            }
            synchronized (session) {
                session.status(SessionState.DELETING);
            }
            log.warn("event=session.release.start session={} reason=lost-by-cluster", row.id());
            releases.submit(() -> finishRelease(session));
            n++;
        }
        return n;
    }

    /** Releases sessions whose idle timeout passed. Called periodically. */
    public void reapIdle() {
        long now = clock.millis();
        for (LiveSession session : live.values()) {
            if (session.status() == SessionState.RUNNING
                    && now - session.lastActivity() >= session.record().idleTimeoutMs()
                    && !session.busy()
                    && !session.syncLock().isLocked()) {
                beginRelease(session, "idle");
            }
        }
    }

    /**
     * Brings back what a previous process left: finishes DELETING releases (with their uploads) and restarts the
     * sandboxes of RUNNING sessions (their files are still on disk; their processes are not).
     */
    public void recover() {
        // Sessions marked lost while this node was down: their files are still here, so they are released like any
        // other, upload included (a late three-way commit), instead of being thrown away.
        for (SessionRecord row : store.withStatus(SessionState.LOST)) {
            store.transition(row.id(), SessionState.LOST, SessionState.DELETING, null);
        }
        for (SessionRecord row : store.withStatus(SessionState.DELETING)) {
            LiveSession session = open(row, mountsOf(row));
            session.files().attachDisk(); // after a reboot, the session's files are in its disk image
            try {
                Files.createDirectories(sessionDir(row.id()).resolve("state"));
            } catch (IOException e) {
                log.warn("event=session.recover.state session={} error=\"{}\"", row.id(), e.toString());
            }
            log.info("event=session.recover.release session={}", row.id());
            releases.submit(() -> finishRelease(session));
        }
        for (SessionRecord row : store.withStatus(SessionState.RUNNING)) {
            try {
                LiveSession session = open(row, mountsOf(row));
                startSandbox(session);
                log.info("event=session.recover.restart session={}", row.id());
            } catch (RuntimeException e) {
                log.error("event=session.recover.failed session={} error=\"{}\"", row.id(), e.getMessage(), e);
            }
        }
    }

    /** Starts keeping sandboxes ready ahead of time ({@link ServerConfig#warmSandboxes()}); once the server is up. */
    public void warmUp() {
        if (config.warmSandboxes() > 0) {
            runtime.warmUp(config.dataDir().resolve("sessions"), config.dataDir(), config.warmSandboxes());
        }
    }

    private List<Mount> mountsOf(SessionRecord row) {
        List<Map<String, String>> items;
        try {
            items = Json.MAPPER.readValue(row.mounts(), new TypeReference<>() {});
        } catch (IOException e) {
            throw new IllegalStateException("Stored mounts of session " + row.id() + " are unreadable", e);
        }
        List<Mount> mounts = new ArrayList<>();
        for (Map<String, String> item : items) {
            String path = item.get("path");
            mounts.add(new Mount(
                    mounts.size(),
                    item.get("contextId"),
                    path,
                    MountPaths.normalize(path, config.writableRoots()),
                    CreateSessionRequest.parsePolicy(
                            Json.MAPPER.getNodeFactory().textNode(item.get("policy")), path),
                    item.get("version") == null ? null : Long.valueOf(item.get("version"))));
        }
        return mounts;
    }

    /** Live sessions of a tenant whose labels contain every wanted key=value pair. */
    public List<SessionRecord> list(String tenant, Map<String, String> wanted) {
        List<SessionRecord> out = new ArrayList<>();
        for (SessionRecord row : store.liveForTenant(tenant)) {
            Map<String, String> labels;
            try {
                labels = Json.MAPPER.readValue(row.labels(), new TypeReference<Map<String, String>>() {});
            } catch (IOException e) {
                labels = Map.of();
            }
            boolean all = true;
            for (Map.Entry<String, String> w : wanted.entrySet()) {
                all &= w.getValue().equals(labels.get(w.getKey()));
            }
            if (all) {
                LiveSession session = live.get(row.id());
                out.add(session == null ? row : withStatus(row, session.status()));
            }
        }
        return out;
    }

    public void setLabels(String tenant, String id, String labels) {
        running(tenant, id).orElseThrow(() -> ApiException.sessionNotFound(id));
        store.setLabels(
                id,
                CreateSessionRequest.parseLabels(Json.MAPPER.getNodeFactory().textNode(labels)));
    }

    public String labels(String tenant, String id) {
        visible(tenant, id).orElseThrow(() -> ApiException.sessionNotFound(id));
        // From the row: SetLabel changes it, the live session keeps the record it was created with.
        return store.byId(id).map(SessionRecord::labels).orElse("{}");
    }

    /** Stops this node's sandboxes without releasing their sessions (they come back on the next start). */
    @Override
    public void close() {
        releases.shutdown();
        try {
            releases.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (LiveSession session : live.values()) {
            Sandbox sandbox = session.sandbox();
            if (sandbox != null) {
                sandbox.close();
            }
        }
        runtime.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
