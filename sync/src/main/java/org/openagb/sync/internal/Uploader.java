package org.openagb.sync.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openagb.model.UploadMode;
import org.openagb.storage.ObjectStore;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.EntryType;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.SyncException;
import org.openagb.sync.SyncOptions;
import org.openagb.sync.UploadRequest;
import org.openagb.sync.UploadResult;

/**
 * One three-way upload. Phase 1 merges the base snapshot B with the local scan L (both in canonical order),
 * stores new and changed content, and spools three sorted temp manifests: upserts U, deletions D and the next
 * base. Phase 2 merges the remote manifest R with U and D (consulting B to detect conflicts) into a new manifest
 * and commits it with compare-and-set; a lost race re-runs only phase 2, so no blob is uploaded twice.
 */
public final class Uploader {
    private final ObjectStore store;
    private final Manifests manifests;
    private final Executor executor;
    private final SyncOptions options;
    private final Clock clock;
    private final UploadRequest req;
    private final boolean allScope;

    private long filesUploaded;
    private long bytesUploaded;
    private long entriesChanged;
    private long unchanged;
    private long ctimeReference = Long.MIN_VALUE;
    private long filesHashed;
    private long deleted;
    /** Whether the next base differs from the current one (else the base file is left as it is). */
    private boolean baseChanged;

    private final List<String> conflicts = new ArrayList<>();

    public Uploader(
            ObjectStore store,
            Manifests manifests,
            Executor executor,
            SyncOptions options,
            Clock clock,
            UploadRequest req) {
        this.store = store;
        this.manifests = manifests;
        this.executor = executor;
        this.options = options;
        this.clock = clock;
        this.req = req;
        this.allScope = req.scope().isAll();
    }

    public UploadResult run() {
        Manifests.requireMode(req.contextId(), req.mountPath(), UploadMode.FILE, manifests.head(req.contextId()));
        ctimeReference = baseReference();
        Path hostDir = req.hostDir();
        Path upserts = manifests.tempFile("upserts");
        Path deletes = manifests.tempFile("deletes");
        Path nextBase = manifests.tempFile("base");
        // The kernel's own clock (file timestamps tick coarsely), read before the scan: the next base's reference.
        long scanStart = ctimeNanos(nextBase);
        BlobUploader blobs = new BlobUploader(store, executor, req.contextId(), options);
        boolean committed = false;
        try {
            planAndStore(hostDir, blobs, upserts, deletes, nextBase);
            Manifests.Committed c = entriesChanged == 0 && isEmpty(deletes)
                    ? new Manifests.Committed(manifests.head(req.contextId()), 0)
                    : manifests.commit(
                            req.contextId(),
                            UploadMode.FILE,
                            req.mountPath(),
                            (r, out) -> merge(r, out, upserts, deletes));
            committed = true;
            if (baseChanged || !Files.exists(req.baseFile())) {
                replaceBase(nextBase);
            }
            markReference(scanStart);
            return new UploadResult(
                    filesUploaded,
                    bytesUploaded,
                    entriesChanged,
                    deleted,
                    unchanged,
                    filesHashed,
                    conflicts,
                    c.head().generation(),
                    c.attempts(),
                    message());
        } finally {
            if (!committed) {
                blobs.abort();
            }
            Manifests.deleteQuietly(upserts);
            Manifests.deleteQuietly(deletes);
            Manifests.deleteQuietly(nextBase);
        }
    }

    private static boolean isEmpty(Path manifest) {
        try (ManifestReader r = ManifestReader.openFileOrEmpty(manifest)) {
            return !r.hasNext();
        }
    }

    private boolean inScope(ManifestEntry b) {
        return ContextPaths.isUnder(b.path(), req.mountPath())
                && (allScope || req.scope().includes(ContextPaths.relativize(b.path(), req.mountPath())));
    }

    private void planAndStore(Path hostDir, BlobUploader blobs, Path upserts, Path deletes, Path nextBase) {
        long now = clock.millis();
        try (ManifestReader baseReader = ManifestReader.openFileOrEmpty(req.baseFile());
                ManifestWriter u = ManifestWriter.create(upserts);
                ManifestWriter d = ManifestWriter.create(deletes);
                ManifestWriter nb = ManifestWriter.create(nextBase)) {
            PeekingIterator<ManifestEntry> base = new PeekingIterator<>(baseReader, b -> {
                if (inScope(b)) {
                    return true;
                }
                baseChanged = true; // entries outside the scope are dropped from the next base
                return false;
            });
            PeekingIterator<LocalEntry> local =
                    new PeekingIterator<>(new Scanner(hostDir, req.mountPath(), req.scope()));
            while (base.hasNext() || local.hasNext()) {
                ManifestEntry b = base.peek();
                LocalEntry l = local.peek();
                int cmp = b == null ? 1 : l == null ? -1 : ContextPaths.compare(b.path(), l.path());
                if (cmp < 0) { // deleted locally
                    base.next();
                    if (req.propagateDeletes()) {
                        baseChanged = true;
                        d.write(b);
                    } else {
                        nb.write(b);
                    }
                } else if (cmp > 0) { // added locally
                    baseChanged = true;
                    local.next();
                    ManifestEntry e = storeEntry(l, blobs, null, now);
                    u.write(e);
                    nb.write(e);
                } else {
                    base.next();
                    local.next();
                    Long hash = null;
                    boolean same = false;
                    if (b.type() == l.type()) {
                        switch (l.type()) {
                            case DIRECTORY -> same = b.mode() == l.mode();
                            case SYMLINK -> same = b.linkTarget().equals(l.linkTarget());
                            case FILE -> {
                                if (b.size() == l.size() && b.mode() == l.mode()) {
                                    // Same size and mtime are trusted only if the inode did not change since the
                                    // base was taken: `touch -d` can restore an mtime, not a ctime.
                                    if (b.mtimeMillis() == l.mtimeMillis() && l.ctimeNanos() < ctimeReference) {
                                        same = true;
                                    } else {
                                        Hashing.FileHash fh = BlobUploader.hashFile(l.file(), l.path());
                                        filesHashed++;
                                        hash = fh.hash();
                                        same = fh.length() == b.size() && fh.hash() == b.hash();
                                    }
                                }
                            }
                        }
                    }
                    if (same) {
                        unchanged++;
                        // remember the new mtime so the next upload need not hash again
                        ManifestEntry kept = b.type() == EntryType.FILE ? b.withMtime(l.mtimeMillis()) : b;
                        baseChanged |= kept != b;
                        nb.write(kept);
                    } else {
                        baseChanged = true;
                        ManifestEntry e = storeEntry(l, blobs, hash, now);
                        u.write(e);
                        nb.write(e);
                    }
                }
            }
            blobs.finish();
        }
    }

    private ManifestEntry storeEntry(LocalEntry l, BlobUploader blobs, Long knownHash, long now) {
        entriesChanged++;
        if (l.type() != EntryType.FILE) {
            return l.toEntry(0, null, now);
        }
        filesUploaded++;
        if (l.size() == 0) {
            return l.toEntry(Hashing.EMPTY, null, now);
        }
        if (knownHash == null) {
            filesHashed++;
        }
        BlobUploader.Stored s = blobs.store(l.file(), l.path(), l.size(), knownHash);
        bytesUploaded += l.size();
        return l.toEntry(s.hash(), s.blob(), now);
    }

    private boolean merge(ManifestReader r, ManifestWriter out, Path upsertsFile, Path deletesFile) {
        conflicts.clear();
        deleted = 0;
        boolean changed = false;
        try (ManifestReader u = ManifestReader.openFileOrEmpty(upsertsFile);
                ManifestReader d = ManifestReader.openFileOrEmpty(deletesFile);
                ManifestReader b = ManifestReader.openFileOrEmpty(req.baseFile())) {
            String shadow = null;
            while (true) {
                String p = min(min(path(r.peek()), path(u.peek())), path(d.peek()));
                if (p == null) {
                    break;
                }
                ManifestEntry re = take(r, p);
                ManifestEntry ue = take(u, p);
                ManifestEntry de = take(d, p);
                ManifestEntry be = seek(b, p);
                if (shadow != null && ContextPaths.isUnder(p, shadow)) {
                    // our new file or symlink replaced a directory: nothing may remain below it
                    if (re != null) {
                        changed = true;
                        countRemoval(re, be, p);
                    }
                    continue;
                }
                shadow = null;
                if (ue != null) {
                    out.write(ue);
                    changed = true;
                    if (!ManifestEntry.sameContent(re, be) && !ManifestEntry.sameContent(re, ue)) {
                        conflicts.add(p);
                    }
                    if (ue.type() != EntryType.DIRECTORY) {
                        shadow = p;
                    }
                } else if (de != null) {
                    if (re != null) {
                        changed = true;
                        countRemoval(re, be, p);
                    }
                } else if (re != null) {
                    out.write(re);
                }
            }
        }
        return changed;
    }

    private void countRemoval(ManifestEntry re, ManifestEntry be, String p) {
        deleted++;
        if (!ManifestEntry.sameContent(re, be)) {
            conflicts.add(p);
        }
    }

    private static String path(ManifestEntry e) {
        return e == null ? null : e.path();
    }

    private static String min(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return ContextPaths.compare(a, b) <= 0 ? a : b;
    }

    private static ManifestEntry take(ManifestReader r, String p) {
        ManifestEntry e = r.peek();
        return e != null && e.path().equals(p) ? r.next() : null;
    }

    private static ManifestEntry seek(ManifestReader r, String p) {
        while (r.peek() != null && ContextPaths.compare(r.peek().path(), p) < 0) {
            r.next();
        }
        return take(r, p);
    }

    /**
     * The base's reference time: its file's mtime, set to the kernel's time when the scan that produced it started
     * (or, for a download, when the download finished writing). A file whose ctime is before it has not changed
     * since; one changed in the same clock tick is hashed.
     */
    private long baseReference() {
        try {
            return Files.getLastModifiedTime(req.baseFile()).to(TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            return Long.MIN_VALUE; // no base: every entry is new anyway
        }
    }

    private static long ctimeNanos(Path file) {
        try {
            return ((FileTime) Files.getAttribute(file, "unix:ctime")).to(TimeUnit.NANOSECONDS);
        } catch (IOException | UnsupportedOperationException e) {
            return Long.MIN_VALUE; // no reference: the next upload hashes what it cannot trust
        }
    }

    /** Dates the base snapshot at the start of the scan it reflects (what changed after will show a later ctime). */
    private void markReference(long scanStartNanos) {
        try {
            Files.setLastModifiedTime(
                    req.baseFile(),
                    scanStartNanos == Long.MIN_VALUE
                            ? FileTime.fromMillis(0)
                            : FileTime.from(scanStartNanos, TimeUnit.NANOSECONDS));
        } catch (IOException e) {
            // Without a base the next upload re-checks every file: safe.
        }
    }

    private void replaceBase(Path nextBase) {
        Path target = req.baseFile().toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.copy(nextBase, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SyncException(
                    "Cannot write base snapshot '" + target + "': " + e
                            + " (the upload was committed; the next upload will re-check every file)",
                    e);
        }
    }

    private String message() {
        StringBuilder sb = new StringBuilder();
        sb.append("Uploaded ")
                .append(filesUploaded)
                .append(" file(s) (")
                .append(bytesUploaded)
                .append(" bytes)");
        sb.append(", deleted ").append(deleted).append(", ").append(unchanged).append(" unchanged");
        if (!conflicts.isEmpty()) {
            sb.append("; ")
                    .append(conflicts.size())
                    .append(" file(s) changed by another session were overwritten (last writer wins): ");
            int shown = Math.min(conflicts.size(), 10);
            sb.append(String.join(", ", conflicts.subList(0, shown)));
            if (conflicts.size() > shown) {
                sb.append(", … (").append(conflicts.size() - shown).append(" more)");
            }
        }
        return sb.toString();
    }
}
