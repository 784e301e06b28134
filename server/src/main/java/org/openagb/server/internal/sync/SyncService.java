package org.openagb.server.internal.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.openagb.model.DeletePolicy;
import org.openagb.model.SyncPolicy;
import org.openagb.server.internal.context.ContextRecord;
import org.openagb.server.internal.context.ContextStore;
import org.openagb.server.internal.context.StorageQuota;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Json;
import org.openagb.sync.MountOutcome;
import org.openagb.sync.MountRequest;
import org.openagb.sync.SyncEngine;
import org.openagb.sync.VersionNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a session's sync tasks and keeps their status (WIRE.md §6.3/§6.4): which mounts a request covers, the
 * task registry, the session's lock, the quota. What a mount's policy means is the engine's ({@link
 * SyncEngine#downloadMount}, {@link SyncEngine#uploadMount}). Tasks are registered before the call that asked for
 * them replies, then run on a pool; one session's tasks run one at a time (the session's {@link
 * SyncedSession#syncLock()}), each parallelising its own IO.
 */
public final class SyncService {
    private static final Logger log = LoggerFactory.getLogger(SyncService.class);
    /** The policy of a sync of a directory that is not a mount: File mode, additive (local deletions stay). */
    private static final SyncPolicy ADDITIVE =
            SyncPolicy.builder().deletePolicy(new DeletePolicy(false)).build();

    private final SyncEngine engine;
    private final TaskStore tasks;
    private final ContextStore contexts;
    private final StorageQuota quota;
    private final MountUploadListener mountUploads;
    private final ExecutorService pool;
    private final Clock clock;
    private final List<String> writableRoots;
    /** When each mount with its own {@code uploadPolicy.period} was last checkpointed: "session/index" → millis. */
    private final java.util.Map<String, Long> lastCheckpoint = new java.util.concurrent.ConcurrentHashMap<>();

    /** Told about every successful upload of a mount (not of explicit non-mount paths), with the mount's policy. */
    @FunctionalInterface
    public interface MountUploadListener {
        void mountUploaded(String contextId, String normalizedMountPath, SyncPolicy policy);
    }

    public SyncService(
            SyncEngine engine,
            TaskStore tasks,
            ContextStore contexts,
            StorageQuota quota,
            MountUploadListener mountUploads,
            ExecutorService pool,
            Clock clock,
            List<String> writableRoots) {
        this.engine = engine;
        this.tasks = tasks;
        this.contexts = contexts;
        this.quota = quota;
        this.mountUploads = mountUploads;
        this.pool = pool;
        this.clock = clock;
        this.writableRoots = List.copyOf(writableRoots);
    }

    /** One unit of sync work: a context, the path as the client named it, and its policy. */
    record Target(
            String contextId,
            String path,
            String normalizedPath,
            SyncPolicy policy,
            boolean mount,
            boolean internal,
            Long version) {
        static Target of(Mount m) {
            return new Target(m.contextId(), m.path(), m.normalizedPath(), m.policy(), true, false, m.version());
        }
    }

    /** Registers a download task per auto-download mount (before createSession replies), then runs them. */
    public void startDownloads(SyncedSession session) {
        List<Target> targets = new ArrayList<>();
        for (Mount m : session.mounts()) {
            if (m.policy().downloadPolicy().autoDownload()) {
                targets.add(Target.of(m));
            }
        }
        submit(session, targets, SyncDirection.DOWNLOAD);
    }

    /**
     * SyncContext: no target = every mount whose policy syncs in that direction automatically; a target = exactly
     * that (context, path), with the mount's policy when it is a mount, else an additive File-mode sync.
     */
    public void request(SyncedSession session, SyncRequest request) {
        SyncDirection direction = request.direction();
        List<Target> targets = new ArrayList<>();
        if (request.target().isEmpty()) {
            for (Mount m : session.mounts()) {
                boolean wanted = direction == SyncDirection.UPLOAD
                        ? m.uploadsAutomatically()
                        : m.policy().downloadPolicy().autoDownload();
                if (wanted) {
                    targets.add(Target.of(m));
                }
            }
        } else {
            targets.add(explicitTarget(session, request.target().get(), direction));
        }
        if (direction == SyncDirection.UPLOAD && !targets.isEmpty()) {
            // Explicit uploads stop at the key's storage quota; a release's upload never does (it would lose work).
            quota.requireRoom(session.tenant(), 0, "upload from session '" + session.id() + "'");
        }
        submit(session, targets, direction);
    }

    private Target explicitTarget(SyncedSession session, SyncRequest.Target wanted, SyncDirection direction) {
        ContextRecord context = contexts.byId(session.tenant(), wanted.contextId())
                .filter(c -> !c.internal() || session.id().equals(c.ownerSession()))
                .orElseThrow(() -> ApiException.contextNotFound("with id '" + wanted.contextId() + "'"));
        String normalized = MountPaths.normalize(wanted.path(), writableRoots);
        for (Mount m : session.mounts()) {
            if (m.contextId().equals(context.id()) && m.normalizedPath().equals(normalized)) {
                if (m.version() != null && direction == SyncDirection.UPLOAD) {
                    throw ApiException.invalid("Cannot upload mount '" + wanted.path() + "' of session '"
                            + session.id() + "': it mounts version " + m.version() + " of context '" + m.contextId()
                            + "' read-only (restore that version with RestoreContextVersion to make it current, or"
                            + " mount the context without 'version' to write to it)");
                }
                return new Target(m.contextId(), wanted.path(), normalized, m.policy(), true, false, m.version());
            }
        }
        return new Target(context.id(), wanted.path(), normalized, ADDITIVE, false, context.internal(), null);
    }

    private void submit(SyncedSession session, List<Target> targets, SyncDirection direction) {
        long now = clock.millis();
        for (Target t : targets) {
            tasks.put(task(session, t, direction, TaskStatus.PENDING, "", now, 0));
        }
        for (Target t : targets) {
            pool.submit(() -> runLocked(session, t, direction));
        }
    }

    private void runLocked(SyncedSession session, Target target, SyncDirection direction) {
        session.syncLock().lock();
        try {
            run(session, target, direction);
        } finally {
            session.syncLock().unlock();
        }
    }

    /** Runs one task now and records its outcome; returns the error, or null on success. */
    private String run(SyncedSession session, Target target, SyncDirection direction) {
        long start = clock.millis();
        tasks.put(task(session, target, direction, TaskStatus.RUNNING, "", start, 0));
        String error = null;
        String note = "";
        try {
            MountOutcome outcome = sync(session, target, direction);
            contexts.touch(target.contextId());
            if (!outcome.complete()) {
                error = outcome.message();
            } else if (!target.internal()) {
                note = outcome.message();
            }
            if (direction == SyncDirection.UPLOAD && target.mount()) {
                mountUploads.mountUploaded(target.contextId(), target.normalizedPath(), target.policy());
            }
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            // An Error must still end the task, or clients would poll a "Running" task forever.
            error = e.getMessage() == null || e.getMessage().isBlank()
                    ? e.getClass().getSimpleName()
                    : e.getMessage();
            log.warn(
                    "event=sync.failed session={} context={} path={} type={} error=\"{}\"",
                    session.id(),
                    target.contextId(),
                    target.path(),
                    direction.wireName(),
                    error,
                    e);
        }
        TaskStatus status = error == null ? TaskStatus.SUCCESS : TaskStatus.FAILED;
        tasks.put(task(session, target, direction, status, error == null ? note : error, start, clock.millis()));
        log.info(
                "event=sync.done session={} context={} path={} type={} ok={} ms={}",
                session.id(),
                target.contextId(),
                target.path(),
                direction.wireName(),
                error == null,
                clock.millis() - start);
        return error;
    }

    private MountOutcome sync(SyncedSession session, Target target, SyncDirection direction) {
        Path hostDir = session.files().ensureDirectory(target.normalizedPath());
        MountRequest request = new MountRequest(
                target.contextId(), target.normalizedPath(), hostDir, baseFile(session, target), target.policy());
        if (direction == SyncDirection.UPLOAD) {
            return engine.uploadMount(request);
        }
        if (target.version() != null) {
            request = request.withVersion(target.version());
        }
        long t0 = System.nanoTime();
        long t1 = t0;
        try {
            MountOutcome outcome = engine.downloadMount(request);
            t1 = System.nanoTime();
            return outcome;
        } finally {
            // What the server wrote must belong to the session's uid (a no-op when sessions run as the server's).
            session.files().adopt(hostDir);
            log.info(
                    "event=sync.download.timing session={} path={} engineMs={} adoptMs={}",
                    session.id(),
                    target.path(),
                    (t1 - t0) / 1_000_000,
                    (System.nanoTime() - t1) / 1_000_000);
        }
    }

    /**
     * A checkpoint of the session: uploads each auto-upload mount as an ordinary three-way commit (a scan only, and no
     * commit, when nothing changed), so that a node lost mid-session loses at most one checkpoint interval of work.
     * Skipped when the session is syncing or releasing (its lock is held: that upload is the checkpoint) or its key
     * is over its storage quota (the release still uploads). Registers no task: GetContextInfo keeps answering for the
     * client's own syncs. Returns how many mounts committed something.
     */
    public int checkpoint(SyncedSession session) {
        if (!session.syncLock().tryLock()) {
            return 0;
        }
        int committed = 0;
        try {
            if (quota.remaining(session.tenant()) == 0) {
                log.info("event=checkpoint.skipped session={} reason=storage-quota", session.id());
                return 0;
            }
            for (Mount m : session.mounts()) {
                if (!m.uploadsAutomatically() || !due(session, m)) {
                    continue;
                }
                Target t = Target.of(m);
                long start = clock.millis();
                try {
                    MountOutcome outcome = sync(session, t, SyncDirection.UPLOAD);
                    boolean changed = outcome instanceof MountOutcome.FilesUploaded f
                                    && f.result().commitAttempts() > 0
                            || outcome instanceof MountOutcome.ArchiveUploaded;
                    if (changed) {
                        committed++;
                        contexts.touch(t.contextId());
                        mountUploads.mountUploaded(t.contextId(), t.normalizedPath(), t.policy());
                    }
                    log.debug(
                            "event=checkpoint.done session={} context={} path={} changed={} ms={}",
                            session.id(),
                            t.contextId(),
                            t.path(),
                            changed,
                            clock.millis() - start);
                } catch (RuntimeException e) {
                    log.warn(
                            "event=checkpoint.failed session={} context={} path={} error=\"{}\"",
                            session.id(),
                            t.contextId(),
                            t.path(),
                            e.getMessage());
                }
            }
        } finally {
            session.syncLock().unlock();
        }
        return committed;
    }

    /** Uploads every auto-upload mount, synchronously, for a release; throws if any upload failed. */
    public void uploadForRelease(SyncedSession session) {
        session.syncLock().lock();
        try {
            List<String> errors = new ArrayList<>();
            for (Mount m : session.mounts()) {
                if (m.uploadsAutomatically()) {
                    Target t = Target.of(m);
                    tasks.put(task(session, t, SyncDirection.UPLOAD, TaskStatus.PENDING, "", clock.millis(), 0));
                    String error = run(session, t, SyncDirection.UPLOAD);
                    if (error != null) {
                        errors.add(m.path() + ": " + error);
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw new IllegalStateException("Cannot finish the release of " + session.id() + ": upload failed for "
                        + String.join("; ", errors));
            }
        } finally {
            session.syncLock().unlock();
        }
    }

    /** GetContextInfo's {@code contextStatus}: a JSON string of [{type:"data", data:<JSON string of items>}]. */
    public String contextStatus(String sessionId, String contextId, String path, String taskType) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (TaskStore.Task t : tasks.forSession(sessionId)) {
            if (contextId != null && !contextId.isBlank() && !contextId.equals(t.contextId())) {
                continue;
            }
            if (path != null && !path.isBlank() && !stripSlash(path).equals(stripSlash(t.path()))) {
                continue;
            }
            if (taskType != null
                    && !taskType.isBlank()
                    && !taskType.equalsIgnoreCase(t.taskType().wireName())) {
                continue;
            }
            ObjectNode item = items.addObject();
            item.put("contextId", t.contextId());
            item.put("path", t.path());
            item.put("errorMessage", t.errorMessage());
            item.put("status", t.status().wireName());
            item.put("startTime", t.startTime());
            item.put("finishTime", t.finishTime());
            item.put("taskType", t.taskType().wireName());
        }
        ArrayNode outer = Json.MAPPER.createArrayNode();
        ObjectNode data = outer.addObject();
        data.put("type", "data");
        data.put("data", Json.write(items));
        return Json.write(outer);
    }

    /**
     * Checks, before a session is created, that the context keeps version {@code generation}.
     *
     * @throws ApiException 404 {@code InvalidContextVersion.NotFound} naming the version, why it is not kept and
     *     which versions are
     */
    public void requireVersion(String contextId, long generation) {
        try {
            engine.version(contextId, generation);
        } catch (VersionNotFoundException e) {
            throw ApiException.notFound("InvalidContextVersion.NotFound", e.getMessage());
        }
    }

    public void forget(String sessionId) {
        tasks.deleteSession(sessionId);
        lastCheckpoint.keySet().removeIf(k -> k.startsWith(sessionId + "/"));
    }

    /**
     * Whether a checkpoint of the mount is due on this tick: always without an {@code uploadPolicy.period}; with one,
     * once that many minutes passed since its last checkpoint (the first tick checkpoints it).
     */
    private boolean due(SyncedSession session, Mount m) {
        Integer minutes = m.policy().uploadPolicy().period();
        if (minutes == null) {
            return true;
        }
        String key = session.id() + "/" + m.index();
        long now = clock.millis();
        Long last = lastCheckpoint.get(key);
        if (last != null && now - last < minutes * 60_000L) {
            return false;
        }
        lastCheckpoint.put(key, now);
        return true;
    }

    private static TaskStore.Task task(
            SyncedSession session,
            Target t,
            SyncDirection direction,
            TaskStatus status,
            String message,
            long start,
            long finish) {
        return new TaskStore.Task(session.id(), t.contextId(), t.path(), direction, status, message, start, finish);
    }

    private static String stripSlash(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Where the base snapshot of one (context, mount path) of the session lives. */
    private static Path baseFile(SyncedSession session, Target target) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] h = digest.digest(
                    (target.contextId() + "\0" + target.normalizedPath()).getBytes(StandardCharsets.UTF_8));
            return session.stateDir().resolve("base-" + HexFormat.of().formatHex(h, 0, 12) + ".manifest");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
