package org.openagb.sync;

import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.openagb.storage.ObjectStore;
import org.openagb.sync.internal.ArchiveExtractor;
import org.openagb.sync.internal.ArchivePacker;
import org.openagb.sync.internal.ContextFiles;
import org.openagb.sync.internal.Downloader;
import org.openagb.sync.internal.GarbageCollector;
import org.openagb.sync.internal.Manifests;
import org.openagb.sync.internal.MountSyncer;
import org.openagb.sync.internal.PackCompactor;
import org.openagb.sync.internal.Uploader;
import org.openagb.sync.internal.Versions;

/**
 * The sync engine: downloads contexts into session directories, uploads session directories into contexts with
 * three-way change detection, and offers single-file operations on contexts.
 *
 * <p>A context is a manifest (entries in canonical order, stored under {@code manifests/<ctx>/}) plus immutable
 * blobs (under {@code blobs/<ctx>/}) in the {@link ObjectStore}; its current manifest is named by the {@link Head}
 * kept in {@link ContextHeads}. Every change writes blobs first and then commits a new generation with
 * compare-and-set, so readers never see a half-applied change and a crash leaves only unreferenced blobs.
 *
 * <p>Thread-safe: any number of operations may run at once, on the same or different contexts. Each operation
 * keeps at most {@link SyncOptions#parallelism()} object reads or writes in flight on the executor. Errors are
 * {@link SyncException}s (object store failures are wrapped or passed through as {@code StorageException}).
 */
public final class SyncEngine implements AutoCloseable {
    private final ObjectStore store;
    private final Clock clock;
    private final Executor executor;
    private final ExecutorService ownedPool;
    private final SyncOptions options;
    private final Manifests manifests;
    private final ContextFiles files;
    private final MountSyncer mounts;
    private final Versions versions;

    /**
     * An engine that runs its object reads and writes on {@code executor}, which it does not own or shut down.
     * The executor must not be saturated by the calling threads themselves (operations wait for their tasks).
     */
    public SyncEngine(ObjectStore store, ContextHeads heads, Clock clock, Executor executor, SyncOptions options) {
        this(store, heads, clock, executor, null, options);
    }

    private SyncEngine(
            ObjectStore store,
            ContextHeads heads,
            Clock clock,
            Executor executor,
            ExecutorService ownedPool,
            SyncOptions options) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.ownedPool = ownedPool;
        this.options = Objects.requireNonNull(options, "options");
        this.manifests = new Manifests(store, Objects.requireNonNull(heads, "heads"), options);
        this.files = new ContextFiles(store, manifests, clock);
        this.mounts = new MountSyncer(
                manifests, files, this::download, this::upload, this::downloadArchive, this::uploadArchive);
        this.versions = new Versions(manifests, options.versionRetention(), clock);
    }

    /** An engine with its own pool of {@link SyncOptions#parallelism()} daemon threads; {@link #close()} stops it. */
    public static SyncEngine create(ObjectStore store, ContextHeads heads, Clock clock, SyncOptions options) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "openagb-sync-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(options.parallelism(), tf);
        return new SyncEngine(store, heads, clock, pool, pool, options);
    }

    /** {@link #create(ObjectStore, ContextHeads, Clock, SyncOptions)} with the system clock and default options. */
    public static SyncEngine create(ObjectStore store, ContextHeads heads) {
        return create(store, heads, Clock.systemUTC(), SyncOptions.defaults());
    }

    private static String checkContextId(String contextId) {
        if (contextId == null
                || contextId.isEmpty()
                || contextId.length() > 200
                || contextId.equals(".")
                || contextId.equals("..")
                || contextId.chars().anyMatch(c -> c == '/' || c == '\\' || c == 0)) {
            throw new SyncException("Cannot use context id '" + contextId
                    + "': it must be 1-200 characters without '/', '\\' or NUL (pass the context's id)");
        }
        return contextId;
    }

    /**
     * Downloads a whole mount as its policy says: Archive mode if the context is locked to it (extracting as the
     * extract policy says), else File mode; from the mapping policy's path if it has one; within the white list.
     * An incomplete File-mode download (entries that could not be written safely) is reported by {@link
     * MountOutcome#complete()}, not thrown.
     *
     * @throws SyncException if the context's data cannot be read, or an archive is corrupt or unsafe
     */
    public MountOutcome downloadMount(MountRequest mount) {
        checkContextId(mount.contextId());
        if (mount.version() != null) {
            ContextVersion v = versions.require(mount.contextId(), mount.version());
            Manifests pinned = manifests.pinned(mount.contextId(), v.head());
            ContextFiles pinnedFiles = new ContextFiles(store, pinned, clock);
            return new MountSyncer(
                            pinned,
                            pinnedFiles,
                            r -> new Downloader(store, pinned, executor, options, r).run(),
                            r -> {
                                throw readOnly(mount);
                            },
                            r -> new ArchiveExtractor(store, pinned, r).run(),
                            r -> {
                                throw readOnly(mount);
                            })
                    .download(mount);
        }
        return mounts.download(mount);
    }

    private static SyncException readOnly(MountRequest mount) {
        return new SyncException("Cannot upload mount '" + mount.mountPath() + "' of context '" + mount.contextId()
                + "': it mounts version " + mount.version() + " read-only (restore that version as a new"
                + " generation to change the context, or mount the context without a version)");
    }

    /**
     * Uploads a whole mount as its policy says: in the policy's {@code uploadMode}, which the first commit locks the
     * context to (kept with the head, so every later upload in the other mode fails); within the white list;
     * mirroring local deletions if {@code deletePolicy.syncLocalFile}. In Archive mode with {@code extract=false}
     * the session's own {@code <name>.zip} is stored as it is, if present.
     *
     * @throws ModeLockedException if the context is locked to the other mode (nothing is read or committed)
     * @throws SyncException if a file cannot be read or changed while being uploaded (nothing is committed), or the
     *     mount is of a past version (read-only)
     * @throws CommitConflictException if other commits kept winning the race
     */
    public MountOutcome uploadMount(MountRequest mount) {
        checkContextId(mount.contextId());
        if (mount.version() != null) {
            throw readOnly(mount);
        }
        return mounts.upload(mount);
    }

    /**
     * Materialises the context's entries under {@code sourcePrefix} (rewritten to the mount path, filtered by the
     * scope) into the host directory, restoring modes and modification times, and writes the base snapshot.
     * Entries that cannot be written safely are reported in {@link DownloadResult#failures()} and the rest is
     * still written. Local files not in the context are left alone; local files whose size and mtime equal the
     * entry's are not rewritten.
     *
     * @throws SyncException if the manifest cannot be read or the base snapshot cannot be written
     */
    public DownloadResult download(DownloadRequest request) {
        checkContextId(request.contextId());
        return new Downloader(store, manifests, executor, options, request).run();
    }

    /**
     * Uploads the host directory's changes since the base snapshot and commits them; see {@link UploadRequest} and
     * docs/sync.md for the three-way rules. Rewrites the base snapshot after the commit.
     *
     * @throws SyncException if a file cannot be read or changed while being uploaded (nothing is committed)
     * @throws CommitConflictException if other commits kept winning the race
     */
    public UploadResult upload(UploadRequest request) {
        checkContextId(request.contextId());
        return new Uploader(store, manifests, executor, options, clock, request).run();
    }

    /**
     * Archive mode ({@code uploadMode=Archive}): packs the mount's tree, filtered by the scope, into one standard
     * zip (entry names relative to the mount, directories included, Unix modes and mtimes kept, already
     * compressed files STORED, the rest deflated in parallel) streamed into the object store, and commits it as
     * the single entry {@link ContextPaths#archivePath(String) <mount>/<last>.zip}, replacing every other entry
     * under the mount. A {@code <last>.zip} at the top of the tree (left by an earlier download) is not packed.
     * Symlinks are stored as zip symlink entries; those whose target leaves the mount are skipped and listed in
     * the result. Nothing is committed if the archive is identical to the stored one.
     *
     * @throws SyncException if a file cannot be read or changed while being packed (nothing is committed)
     * @throws CommitConflictException if other commits kept winning the race
     */
    public ArchiveUploadResult uploadArchive(ArchiveUploadRequest request) {
        checkContextId(request.contextId());
        return new ArchivePacker(store, manifests, clock, request, executor).run();
    }

    /**
     * Archive mode download following the extract policy (see {@link ArchiveDownloadRequest}). Returns a result
     * with {@code found=false} if the context holds no archive for the source prefix. Extraction is staged next
     * to the target and verified (names, symlink targets, sizes, CRCs) before anything in the session changes.
     *
     * @throws SyncException naming the archive and the problem if it is corrupt, truncated or unsafe (the
     *     session's files are then left unchanged), or if it conflicts with the session's files
     */
    public ArchiveDownloadResult downloadArchive(ArchiveDownloadRequest request) {
        checkContextId(request.contextId());
        return new ArchiveExtractor(store, manifests, request).run();
    }

    /**
     * Stores {@code length} bytes from {@code data} as the file at {@code path} (mode 0644, mtime now), replacing
     * an existing file. Parent folders are implicit. The stream is read but not closed.
     *
     * @throws SyncException if the path is a folder or lies below a file, or the stream is not {@code length} bytes
     */
    public ManifestEntry putFile(String contextId, String path, InputStream data, long length) {
        return files.putFile(checkContextId(contextId), path, data, length);
    }

    /**
     * Opens a file of the context. Close the result.
     *
     * @throws ContextFileNotFoundException if there is no entry at {@code path}
     * @throws SyncException if the entry is not a file
     */
    public ContextFile openFile(String contextId, String path) {
        return files.openFile(checkContextId(contextId), path);
    }

    /** The entry at {@code path}, if the context holds one (implicit folders have no entry). */
    public Optional<ManifestEntry> stat(String contextId, String path) {
        return files.stat(checkContextId(contextId), path);
    }

    /**
     * Deletes the entry at {@code path} and everything below it (so a folder, explicit or implicit, is deleted
     * with its content).
     *
     * @throws ContextFileNotFoundException if nothing exists at or below {@code path}
     */
    public void deleteFile(String contextId, String path) {
        files.deleteFile(checkContextId(contextId), path);
    }

    /**
     * Removes every entry of the context that {@code remove} matches, in one compare-and-set commit. The predicate
     * runs inside the commit against the head being replaced, and again against the new head whenever another
     * commit wins the race, so an entry changed concurrently is judged by its new state. A matching directory
     * entry is kept while anything below it is kept (its mode and mtime stay with the surviving content). Blobs
     * are not deleted (unreferenced blobs are left to garbage collection). The predicate must be side-effect free
     * (it may run several times per entry) and must not call back into the engine for the same context.
     *
     * @return how many entries the winning commit removed; 0 means nothing matched and nothing was committed
     * @throws CommitConflictException if other commits kept winning the race
     */
    public long removeEntries(String contextId, Predicate<ManifestEntry> remove) {
        Objects.requireNonNull(remove, "remove");
        return files.removeEntries(checkContextId(contextId), remove);
    }

    /**
     * The immediate children of {@code parentPath} in canonical order. A child that exists only as the prefix of
     * deeper paths is returned as a synthetic {@link EntryType#DIRECTORY} entry with mtime 0 and mode 0755.
     */
    public List<ManifestEntry> listChildren(String contextId, String parentPath) {
        return files.listChildren(checkContextId(contextId), parentPath);
    }

    /** Streams every entry of the context's current manifest in canonical order; returns how many there were. */
    public long forEachEntry(String contextId, Consumer<ManifestEntry> consumer) {
        return files.forEachEntry(checkContextId(contextId), consumer);
    }

    /** The context's current head. */
    public Head head(String contextId) {
        return manifests.head(checkContextId(contextId));
    }

    /** Commits an empty generation (nothing if already empty); returns the head now current. */
    public Head clear(String contextId) {
        return files.clear(checkContextId(contextId));
    }

    /**
     * Deletes every manifest and blob object of the context, for use once the context itself is deleted (its head
     * removed from {@link ContextHeads}). Returns the number of objects deleted.
     */
    public int deleteAllData(String contextId) {
        return files.deleteAllData(checkContextId(contextId));
    }

    /**
     * Deletes the context's objects that nothing can need any more: blobs and packs no kept manifest references, and
     * superseded manifests, when older than {@code cutoff} (now less a grace period longer than any upload). Kept: the
     * head, every manifest younger than the cutoff and the one current at the cutoff, with everything they reference.
     * Safe to run while sessions upload and download (see {@code GarbageCollector}).
     */
    public GcResult collectGarbage(String contextId, java.time.Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return new GarbageCollector(store, manifests, options.versionRetention())
                .collect(checkContextId(contextId), cutoff);
    }

    /**
     * The versions of the context that {@link SyncOptions#versionRetention()} keeps, newest first (the head first,
     * once the context has been committed). Reads no manifest, except to count those committed before versions
     * recorded their size.
     */
    public List<ContextVersion> versions(String contextId) {
        return versions.retained(checkContextId(contextId));
    }

    /**
     * The retained version {@code generation}.
     *
     * @throws VersionNotFoundException if the context does not keep it, saying why (no such generation yet, dropped
     *     by the retention) and which generations it keeps
     */
    public ContextVersion version(String contextId, long generation) {
        return versions.require(checkContextId(contextId), generation);
    }

    /**
     * One page of the differences from version {@code from} to version {@code to}: paths added, removed or changed
     * (type, size, hash, mode or link target), in canonical order, starting after the path {@code after} (null: from
     * the first). A sorted merge of the two manifests, streamed: memory holds one page.
     *
     * @throws VersionNotFoundException if either version is not kept
     */
    public VersionDiff diffVersions(String contextId, long from, long to, String after, int limit) {
        return versions.diff(checkContextId(contextId), from, to, after, limit);
    }

    /**
     * Commits the content of version {@code generation} as a new generation (an ordinary compare-and-set commit, with
     * the version's mode claim): the context then holds exactly the entries that version held, referencing the same
     * blobs (nothing is copied). Nothing is committed if the head already holds that content.
     *
     * @throws VersionNotFoundException if the version is not kept
     * @throws CommitConflictException if other commits kept winning the race
     */
    public RestoreResult restoreVersion(String contextId, long generation) {
        return versions.restore(checkContextId(contextId), generation);
    }

    /**
     * Rewrites the context's packs older than {@code cutoff} of which the head references less than {@code threshold}
     * (a share, 0-1) into new packs, in one ordinary commit; the old packs are left for a later collection. Safe to run
     * while sessions upload and download (see {@code PackCompactor}).
     */
    public CompactResult compactPacks(String contextId, java.time.Instant cutoff, double threshold) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold (" + threshold + ") must be a share in (0, 1]");
        }
        return new PackCompactor(store, manifests, options.packTargetSize())
                .compact(checkContextId(contextId), cutoff, threshold);
    }

    /** Stops the engine's own pool, if it has one. Operations must not be running. */
    @Override
    public void close() {
        if (ownedPool != null) {
            ownedPool.shutdown();
        }
    }
}
