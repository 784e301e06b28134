package org.openagb.server.internal.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import org.openagb.model.ExtractPolicy;
import org.openagb.model.SyncPolicy;
import org.openagb.model.UploadMode;
import org.openagb.model.WhiteList;
import org.openagb.server.internal.context.ContextRecord;
import org.openagb.server.internal.context.ContextStore;
import org.openagb.server.internal.context.StorageQuota;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Json;
import org.openagb.server.internal.session.LiveSession;
import org.openagb.server.internal.session.Mount;
import org.openagb.server.internal.session.MountPaths;
import org.openagb.sync.ArchiveDownloadRequest;
import org.openagb.sync.ArchiveUploadRequest;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.DownloadRequest;
import org.openagb.sync.DownloadResult;
import org.openagb.sync.PathScope;
import org.openagb.sync.SyncEngine;
import org.openagb.sync.UploadRequest;
import org.openagb.sync.UploadResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a session's sync tasks and keeps their status (WIRE.md §6.3/§6.4). Tasks are registered before the call
 * that asked for them replies, then run on a pool; one session's tasks run one at a time (the session's
 * {@link LiveSession#syncLock()}), each parallelising its own IO.
 */
public final class SyncService {
    private static final Logger log = LoggerFactory.getLogger(SyncService.class);
    public static final String UPLOAD = "upload";
    public static final String DOWNLOAD = "download";
    private static final String ARCHIVE = "Archive";
    private static final String FILE = "File";

    private final SyncEngine engine;
    private final TaskStore tasks;
    private final ContextStore contexts;
    private final ExecutorService pool;
    private final Clock clock;
    private final List<String> writableRoots;

    private final StorageQuota quota;

    public SyncService(
            SyncEngine engine,
            TaskStore tasks,
            ContextStore contexts,
            StorageQuota quota,
            MountUploadListener mountUploads,
            ExecutorService pool,
            Clock clock,
            List<String> writableRoots) {
        this.quota = quota;
        this.mountUploads = mountUploads;
        this.engine = engine;
        this.tasks = tasks;
        this.contexts = contexts;
        this.pool = pool;
        this.clock = clock;
        this.writableRoots = List.copyOf(writableRoots);
    }

    /** Told about every successful upload of a mount (not of explicit non-mount paths), with the mount's policy. */
    @FunctionalInterface
    public interface MountUploadListener {
        void mountUploaded(String contextId, String normalizedMountPath, SyncPolicy policy);
    }

    private final MountUploadListener mountUploads;

    /** One unit of sync work: a context, the path as the client named it, what to do and how. */
    record Target(
            String contextId, String path, String normalizedPath, SyncPolicy policy, boolean mount, boolean internal) {}

    /** Registers a download task per auto-download mount (before createSession replies), then runs them. */
    public void startDownloads(LiveSession session) {
        List<Target> targets = new ArrayList<>();
        for (Mount m : session.mounts()) {
            if (m.policy().downloadPolicy().autoDownload()) {
                targets.add(new Target(m.contextId(), m.path(), m.normalizedPath(), m.policy(), true, false));
            }
        }
        submit(session, targets, DOWNLOAD);
    }

    /**
     * SyncContext: no context/path = every mount (uploads skip read-only mounts and internal contexts); with
     * both = exactly that (context, path), with the mount's policy when it is a mount, else additive File mode.
     */
    public void request(LiveSession session, String contextId, String path, String mode) {
        String direction = mode == null || mode.isBlank() ? UPLOAD : mode.toLowerCase(Locale.ROOT);
        if (!direction.equals(UPLOAD) && !direction.equals(DOWNLOAD)) {
            throw ApiException.invalid("Cannot sync with mode '" + mode + "': use 'upload' or 'download'");
        }
        boolean hasContext = contextId != null && !contextId.isBlank();
        boolean hasPath = path != null && !path.isBlank();
        if (hasContext != hasPath) {
            throw ApiException.invalid("Cannot sync with only " + (hasContext ? "contextId" : "path")
                    + ": pass contextId and path together, or neither to sync every mount");
        }
        List<Target> targets = new ArrayList<>();
        if (!hasContext) {
            for (Mount m : session.mounts()) {
                boolean wanted = direction.equals(UPLOAD)
                        ? m.policy().uploadPolicy().autoUpload()
                        : m.policy().downloadPolicy().autoDownload();
                if (wanted) {
                    targets.add(new Target(m.contextId(), m.path(), m.normalizedPath(), m.policy(), true, false));
                }
            }
        } else {
            ContextRecord context = contexts.byId(session.tenant(), contextId)
                    .filter(c -> !c.internal() || session.id().equals(c.ownerSession()))
                    .orElseThrow(() -> ApiException.contextNotFound("with id '" + contextId + "'"));
            String normalized = MountPaths.normalize(path, writableRoots);
            Target target = null;
            for (Mount m : session.mounts()) {
                if (m.contextId().equals(context.id()) && m.normalizedPath().equals(normalized)) {
                    target = new Target(m.contextId(), path, normalized, m.policy(), true, false);
                }
            }
            if (target == null) {
                // Not a mount: a plain, additive File-mode sync of that directory.
                SyncPolicy additive = SyncPolicy.builder()
                        .deletePolicy(new org.openagb.model.DeletePolicy(false))
                        .build();
                target = new Target(context.id(), path, normalized, additive, false, context.internal());
            }
            targets.add(target);
        }
        if (direction.equals(UPLOAD) && !targets.isEmpty()) {
            // Explicit uploads stop at the key's storage quota; a release's upload never does (it would lose work).
            quota.requireRoom(session.tenant(), 0, "upload from session '" + session.id() + "'");
        }
        submit(session, targets, direction);
    }

    private void submit(LiveSession session, List<Target> targets, String direction) {
        long now = clock.millis();
        for (Target t : targets) {
            tasks.put(new TaskStore.Task(session.id(), t.contextId(), t.path(), direction, "Pending", "", now, 0));
        }
        for (Target t : targets) {
            pool.submit(() -> runLocked(session, t, direction));
        }
    }

    private void runLocked(LiveSession session, Target target, String direction) {
        session.syncLock().lock();
        try {
            run(session, target, direction);
        } finally {
            session.syncLock().unlock();
        }
    }

    /** Runs one task now and records its outcome; returns the error, or null on success. */
    private String run(LiveSession session, Target target, String direction) {
        long start = clock.millis();
        tasks.put(new TaskStore.Task(
                session.id(), target.contextId(), target.path(), direction, "Running", "", start, 0));
        String error = null;
        String note = "";
        try {
            if (direction.equals(DOWNLOAD)) {
                download(session, target);
            } else {
                List<String> conflicts = upload(session, target);
                if (target.mount()) {
                    mountUploads.mountUploaded(target.contextId(), target.normalizedPath(), target.policy());
                }
                if (!conflicts.isEmpty() && !target.internal()) {
                    note = conflicts.size() + " file(s) changed by another session were overwritten (last"
                            + " writer wins): "
                            + String.join(", ", conflicts.stream().limit(10).toList());
                }
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
                    direction,
                    error,
                    e);
        }
        tasks.put(new TaskStore.Task(
                session.id(),
                target.contextId(),
                target.path(),
                direction,
                error == null ? "Success" : "Failed",
                error == null ? note : error,
                start,
                clock.millis()));
        log.info(
                "event=sync.done session={} context={} path={} type={} ok={} ms={}",
                session.id(),
                target.contextId(),
                target.path(),
                direction,
                error == null,
                clock.millis() - start);
        return error;
    }

    private void download(LiveSession session, Target target) {
        SyncPolicy policy = target.policy();
        String mountPath = target.normalizedPath();
        String source = policy.mappingPolicy() == null
                ? mountPath
                : normaliseMapping(policy.mappingPolicy().path());
        Path hostDir = session.files().ensureDirectory(mountPath);
        try {
            downloadInto(session, target, policy, mountPath, source, hostDir);
        } finally {
            // What the server wrote must belong to the session's uid (a no-op when sessions run as the server's).
            session.files().adopt(hostDir);
        }
    }

    private void downloadInto(
            LiveSession session, Target target, SyncPolicy policy, String mountPath, String source, Path hostDir) {
        boolean archive = contexts.byIdAnyTenant(target.contextId())
                .map(c -> ARCHIVE.equals(c.uploadMode()))
                .orElse(false);
        if (archive) {
            // Only archives that Archive mode made are extracted (WIRE.md §9.3): the context's mode says so.
            ExtractPolicy extract = policy.extractPolicy();
            engine.downloadArchive(new ArchiveDownloadRequest(
                    target.contextId(),
                    source,
                    mountPath,
                    hostDir,
                    scope(mountPath, policy),
                    extract.extract(),
                    extract.extractToCurrentFolder(),
                    extract.deleteSrcFile()));
            contexts.touch(target.contextId());
            return;
        }
        DownloadResult result = engine.download(new DownloadRequest(
                target.contextId(), source, mountPath, hostDir, scope(mountPath, policy), baseFile(session, target)));
        contexts.touch(target.contextId());
        if (!result.complete()) {
            throw new IllegalStateException(result.failures().size() + " of the context's entries could not be"
                    + " written under '" + target.path() + "': "
                    + String.join(
                            "; ",
                            result.failures().stream()
                                    .limit(5)
                                    .map(f -> f.path() + " (" + f.reason() + ")")
                                    .toList()));
        }
    }

    /** Uploads one target in the context's mode; returns the paths where another session's change was overwritten. */
    private List<String> upload(LiveSession session, Target target) {
        SyncPolicy policy = target.policy();
        String mode = target.mount() && policy.uploadPolicy().uploadMode() == UploadMode.ARCHIVE ? ARCHIVE : FILE;
        String inForce = contexts.claimUploadMode(target.contextId(), mode);
        if (!inForce.equals(mode)) {
            throw new IllegalStateException("Cannot upload '" + target.path() + "' to context '" + target.contextId()
                    + "' in " + mode + " mode: the context was first synced in " + inForce + " mode, and a context"
                    + " keeps its mode (set uploadMode to " + inForce + ", or use a new context for " + mode
                    + " mode)");
        }
        String mountPath = target.normalizedPath();
        Path hostDir = session.files().ensureDirectory(mountPath);
        if (mode.equals(ARCHIVE) && !policy.extractPolicy().extract()) {
            // The session works on the archive itself (it was placed, not extracted): upload that file as is.
            Path zip = hostDir.resolve(ContextPaths.archiveName(mountPath));
            if (Files.isRegularFile(zip, LinkOption.NOFOLLOW_LINKS)) {
                try (InputStream in = Files.newInputStream(zip, LinkOption.NOFOLLOW_LINKS)) {
                    engine.putFile(target.contextId(), ContextPaths.archivePath(mountPath), in, Files.size(zip));
                } catch (IOException e) {
                    throw new UncheckedIOException(
                            "Cannot read the archive '" + zip.getFileName() + "' of mount '" + target.path() + "': "
                                    + e.getMessage(),
                            e);
                }
                contexts.touch(target.contextId());
                return List.of();
            }
        }
        if (mode.equals(ARCHIVE)) {
            engine.uploadArchive(
                    new ArchiveUploadRequest(target.contextId(), mountPath, hostDir, scope(mountPath, policy)));
            contexts.touch(target.contextId());
            return List.of();
        }
        UploadResult result = engine.upload(new UploadRequest(
                target.contextId(),
                mountPath,
                hostDir,
                scope(mountPath, policy),
                baseFile(session, target),
                policy.deletePolicy().syncLocalFile()));
        contexts.touch(target.contextId());
        return result.conflicts();
    }

    /** Uploads every auto-upload mount, synchronously, for a release; throws if any upload failed. */
    public void uploadForRelease(LiveSession session) {
        session.syncLock().lock();
        try {
            List<String> errors = new ArrayList<>();
            for (Mount m : session.mounts()) {
                if (m.policy().uploadPolicy().autoUpload()) {
                    Target t = new Target(m.contextId(), m.path(), m.normalizedPath(), m.policy(), true, false);
                    tasks.put(new TaskStore.Task(
                            session.id(), t.contextId(), t.path(), UPLOAD, "Pending", "", clock.millis(), 0));
                    String error = run(session, t, UPLOAD);
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
            if (taskType != null && !taskType.isBlank() && !taskType.equalsIgnoreCase(t.taskType())) {
                continue;
            }
            ObjectNode item = items.addObject();
            item.put("contextId", t.contextId());
            item.put("path", t.path());
            item.put("errorMessage", t.errorMessage());
            item.put("status", t.status());
            item.put("startTime", t.startTime());
            item.put("finishTime", t.finishTime());
            item.put("taskType", t.taskType());
        }
        ArrayNode outer = Json.MAPPER.createArrayNode();
        ObjectNode data = outer.addObject();
        data.put("type", "data");
        data.put("data", Json.write(items));
        return Json.write(outer);
    }

    public void forget(String sessionId) {
        tasks.deleteSession(sessionId);
    }

    private static String stripSlash(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    static PathScope scope(String mountPath, SyncPolicy policy) {
        List<PathScope.WhiteList> whiteLists = new ArrayList<>();
        for (WhiteList w : policy.bwList().whiteLists()) {
            whiteLists.add(new PathScope.WhiteList(w.path(), w.excludePaths()));
        }
        return PathScope.of(mountPath, whiteLists);
    }

    /** A mapping path as stored keys use it ({@link ContextPaths#parse}). */
    static String normaliseMapping(String path) {
        return ContextPaths.parse(path);
    }

    private static Path baseFile(LiveSession session, Target target) {
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
