package org.openagb.sync.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.openagb.storage.ObjectStore;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.DownloadRequest;
import org.openagb.sync.DownloadResult;
import org.openagb.sync.DownloadResult.EntryFailure;
import org.openagb.sync.Head;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.SyncException;
import org.openagb.sync.SyncOptions;

/**
 * One download: materialises the entries of a head under {@code sourcePrefix}, rewritten to the mount path and
 * filtered by the scope, into the host directory, then writes the base snapshot.
 *
 * <p>Safety: every entry is resolved relative to the host directory from an already validated context path (no
 * {@code ".."}, no empty components); each parent directory is checked component by component without following
 * symlinks, and a parent that is a symlink or a file makes that entry fail. Files are written to a temporary file
 * opened with {@code NOFOLLOW_LINKS} and renamed over the target, which replaces a symlink rather than writing
 * through it. Directories and symlinks are created on the calling thread in order; file contents are written in
 * parallel.
 */
public final class Downloader {
    private record DirTime(Path dir, long mtimeMillis) {}

    private final ObjectStore store;
    private final Manifests manifests;
    private final Executor executor;
    private final SyncOptions options;
    private final DownloadRequest req;
    private final Path root;
    private final Set<String> verifiedDirs = new HashSet<>();
    private final ConcurrentLinkedQueue<EntryFailure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong filesWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong filesSkipped = new AtomicLong();
    private final Semaphore inFlight;
    private long directories;
    private long symlinks;

    public Downloader(
            ObjectStore store, Manifests manifests, Executor executor, SyncOptions options, DownloadRequest req) {
        this.store = store;
        this.manifests = manifests;
        this.executor = executor;
        this.options = options;
        this.req = req;
        this.inFlight = new Semaphore(options.parallelism());
        try {
            Files.createDirectories(req.hostDir());
            this.root = req.hostDir().toRealPath();
        } catch (IOException e) {
            throw new SyncException(
                    "Cannot download into '" + req.hostDir() + "': " + e + " (check that the directory can be created)",
                    e);
        }
    }

    private boolean mapped() {
        return !req.sourcePrefix().equals(req.mountPath());
    }

    /** The entry rewritten to the mount, or null if it is not part of this download. */
    private ManifestEntry select(ManifestEntry e) {
        if (!ContextPaths.isUnder(e.path(), req.sourcePrefix())) {
            return null;
        }
        String rel = ContextPaths.relativize(e.path(), req.sourcePrefix());
        if (!req.scope().includes(rel)) {
            return null;
        }
        return mapped() ? e.withPath(ContextPaths.child(req.mountPath(), rel)) : e;
    }

    public DownloadResult run() {
        Head head = manifests.head(req.contextId());
        List<DirTime> dirTimes = new ArrayList<>();
        try (ManifestReader r = manifests.open(head)) {
            while (r.hasNext()) {
                ManifestEntry e = select(r.next());
                if (e == null) {
                    continue;
                }
                String rel = ContextPaths.relativize(e.path(), req.mountPath());
                try {
                    materialise(e, rel, dirTimes);
                } catch (IOException | RuntimeException ex) {
                    failures.add(new EntryFailure(e.path(), reason(ex)));
                }
            }
        } finally {
            awaitAll();
        }
        for (DirTime d : dirTimes) {
            setTimes(d.dir, d.mtimeMillis);
        }
        Set<String> failed = new HashSet<>();
        failures.forEach(f -> failed.add(f.path()));
        writeBase(head, failed);
        List<EntryFailure> list = new ArrayList<>(failures);
        list.sort((a, b) -> ContextPaths.compare(a.path(), b.path()));
        String message = "Downloaded " + filesWritten.get() + " file(s) (" + bytesWritten.get() + " bytes), "
                + filesSkipped.get() + " already up to date, " + directories + " dir(s), " + symlinks + " symlink(s)"
                + (list.isEmpty()
                        ? ""
                        : "; " + list.size() + " entr(ies) refused, first: "
                                + list.get(0).path() + ": " + list.get(0).reason());
        return new DownloadResult(
                head.generation(),
                filesWritten.get(),
                bytesWritten.get(),
                filesSkipped.get(),
                directories,
                symlinks,
                list,
                message);
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private void materialise(ManifestEntry e, String rel, List<DirTime> dirTimes) throws IOException {
        Path target = root.resolve(rel).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new SyncException("Cannot materialise '" + e.path() + "': it resolves outside the mount");
        }
        String parentRel = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : "";
        ensureDir(parentRel, e.path());
        switch (e.type()) {
            case DIRECTORY -> {
                ensureDir(rel, e.path());
                setMode(target, e.mode());
                dirTimes.add(new DirTime(target, e.mtimeMillis()));
                directories++;
            }
            case SYMLINK -> {
                BasicFileAttributes a = attrs(target);
                if (a != null
                        && a.isSymbolicLink()
                        && Files.readSymbolicLink(target).toString().equals(e.linkTarget())) {
                    symlinks++;
                    return;
                }
                if (a != null && a.isDirectory()) {
                    throw new SyncException("Cannot materialise symlink '" + e.path()
                            + "': a directory exists at that path (remove it from the session first)");
                }
                if (a != null) {
                    Files.delete(target);
                }
                Files.createSymbolicLink(target, Path.of(e.linkTarget()));
                setTimes(target, e.mtimeMillis());
                symlinks++;
            }
            case FILE -> {
                BasicFileAttributes a = attrs(target);
                if (a != null
                        && a.isRegularFile()
                        && a.size() == e.size()
                        && a.lastModifiedTime().toMillis() == e.mtimeMillis()) {
                    setMode(target, e.mode());
                    filesSkipped.incrementAndGet();
                    return;
                }
                if (a != null && a.isDirectory()) {
                    throw new SyncException("Cannot materialise file '" + e.path()
                            + "': a directory exists at that path (remove it from the session first)");
                }
                submit(e, target);
            }
        }
    }

    private static BasicFileAttributes attrs(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Makes sure the directory {@code rel} exists as a real directory, checking every component. */
    private void ensureDir(String rel, String entryPath) throws IOException {
        if (rel.isEmpty() || verifiedDirs.contains(rel)) {
            return;
        }
        int slash = rel.lastIndexOf('/');
        ensureDir(slash < 0 ? "" : rel.substring(0, slash), entryPath);
        Path p = root.resolve(rel);
        BasicFileAttributes a = attrs(p);
        if (a == null) {
            Files.createDirectory(p);
        } else if (a.isSymbolicLink()) {
            throw new SyncException("Cannot materialise '" + entryPath + "': its parent '"
                    + ContextPaths.child(req.mountPath(), rel) + "' is a symlink (refusing to write through symlinks)");
        } else if (!a.isDirectory()) {
            throw new SyncException(
                    "Cannot materialise '" + entryPath + "': its parent '" + ContextPaths.child(req.mountPath(), rel)
                            + "' is not a directory (remove it from the session first)");
        }
        verifiedDirs.add(rel);
    }

    private void submit(ManifestEntry e, Path target) {
        inFlight.acquireUninterruptibly();
        Runnable task = () -> {
            try {
                writeFile(e, target);
            } catch (Exception ex) {
                failures.add(new EntryFailure(e.path(), reason(ex)));
            } finally {
                inFlight.release();
            }
        };
        try {
            executor.execute(task);
        } catch (RejectedExecutionException ex) {
            task.run();
        }
    }

    private void awaitAll() {
        inFlight.acquireUninterruptibly(options.parallelism());
        inFlight.release(options.parallelism());
    }

    private void writeFile(ManifestEntry e, Path target) throws IOException {
        Path temp = target.resolveSibling(Scanner.TEMP_PREFIX + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(
                    temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                if (e.blob() != null) {
                    try (InputStream in = new Hashing.VerifyingInputStream(
                            store.get(
                                    e.blob().objectKey(),
                                    e.blob().offset(),
                                    e.blob().length()),
                            e.hash(),
                            e.size(),
                            "file '" + e.path() + "'")) {
                        in.transferTo(out);
                    }
                }
            }
            setMode(temp, e.mode());
            setTimes(temp, e.mtimeMillis());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            filesWritten.incrementAndGet();
            bytesWritten.addAndGet(e.size());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void setMode(Path p, int mode) throws IOException {
        PosixFileAttributeView v =
                Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (v != null) {
            v.setPermissions(Modes.fromBits(mode));
        }
    }

    private static void setTimes(Path p, long mtimeMillis) {
        try {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.fromMillis(mtimeMillis), null, null);
        } catch (IOException | UnsupportedOperationException e) {
            // times of symlinks cannot be set everywhere; not worth failing the entry
        }
    }

    private void writeBase(Head head, Set<String> failed) {
        Path target = req.baseFile().toAbsolutePath();
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
            try (ManifestWriter w = ManifestWriter.create(temp)) {
                // a mapped download's entries live under another path: the mount starts from an empty base, so the
                // first upload stores everything under the mount path
                if (!mapped()) {
                    try (ManifestReader r = manifests.open(head)) {
                        while (r.hasNext()) {
                            ManifestEntry e = select(r.next());
                            if (e != null && !failed.contains(e.path())) {
                                w.write(e);
                            }
                        }
                    }
                }
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SyncException(
                    "Cannot write base snapshot '" + target + "': " + e + " (check that its directory is writable)", e);
        } finally {
            Manifests.deleteQuietly(temp);
        }
    }
}
