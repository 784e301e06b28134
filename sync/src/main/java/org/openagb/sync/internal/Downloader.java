package org.openagb.sync.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 * symlinks, and a parent that is a symlink or a file makes that entry fail. A file whose target does not exist
 * (always so below a directory this download created) is created in place with {@code CREATE_NEW} and
 * {@code NOFOLLOW_LINKS}, which refuses any existing entry, a symlink included; an existing file is replaced by
 * writing a temporary file the same way and renaming it over the target, which replaces a symlink rather than
 * writing through it. Directories and symlinks are created on the calling thread in order; file contents are
 * written in parallel.
 *
 * <p>Small files are written in batches: consecutive entries stored back to back in the same pack object are
 * read with one ranged {@code get} and written one after the other by one task, so a pack is read sequentially
 * instead of being reopened per file. Every file's content is verified against its hash before it is written.
 *
 * <p>Why it is this long: the materialiser (directory checks component by component, in-place and rename writes,
 * batched reads, modes and times); what to download and what to do per entry is decided in DownloadPlan, how reads
 * are grouped in ReadBatcher.
 */
public final class Downloader {
    /** A directory's mtime, and its mode when that had to wait until its children were written (-1 = set). */
    private record DirTime(Path dir, long mtimeMillis, int deferredMode) {}

    private static final OpenOption[] CREATE_NEW = {
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS
    };
    private static volatile Integer umask;

    private final ObjectStore store;
    private final Manifests manifests;
    private final Executor executor;
    private final SyncOptions options;
    private final DownloadRequest req;
    private final Path root;
    private final Set<String> verifiedDirs = new HashSet<>();
    /** Directories (relative) this download created: nothing can be below them that it did not write. */
    private final Set<String> createdDirs = new HashSet<>();

    private final DownloadPlan plan;
    private final ReadBatcher batcher;
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
        this.plan = new DownloadPlan(req);
        this.batcher = new ReadBatcher(new ReadBatcher.Sink() {
            @Override
            public void batch(ReadBatcher.Batch b) {
                submit(() -> writeBatch(b));
            }

            @Override
            public void single(DownloadJob big) {
                submit(() -> writeBig(big));
            }
        });
        try {
            Files.createDirectories(req.hostDir());
            this.root = req.hostDir().toRealPath();
        } catch (IOException e) {
            throw new SyncException(
                    "Cannot download into '" + req.hostDir() + "': " + e + " (check that the directory can be created)",
                    e);
        }
    }

    public DownloadResult run() {
        Head head = manifests.head(req.contextId());
        List<DirTime> dirTimes = new ArrayList<>();
        try (ManifestReader r = manifests.open(head)) {
            while (r.hasNext()) {
                ManifestEntry e = plan.select(r.next());
                if (e == null) {
                    continue;
                }
                String rel = plan.relative(e);
                try {
                    materialise(e, rel, dirTimes);
                } catch (IOException | RuntimeException ex) {
                    failures.add(new EntryFailure(e.path(), reason(ex)));
                }
            }
            batcher.flush();
        } finally {
            awaitAll();
        }
        // Deepest first, so that a restrictive parent mode never blocks its child's update.
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            DirTime d = dirTimes.get(i);
            if (d.deferredMode >= 0) {
                try {
                    setMode(d.dir, d.deferredMode);
                } catch (IOException ex) {
                    failures.add(new EntryFailure(d.dir.toString(), reason(ex)));
                }
            }
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
                // A mode without owner write/search would stop this download writing the children: keep u+wx
                // until the children are written, then apply the real mode (as unzip and tar do).
                boolean defer = (e.mode() & 0300) != 0300;
                int createMode = defer ? e.mode() | 0700 : e.mode();
                if (ensureDir(rel, e.path(), createMode)) {
                    setMode(target, createMode);
                }
                dirTimes.add(new DirTime(target, e.mtimeMillis(), defer ? e.mode() : -1));
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
                if (createdDirs.contains(parentRel)) {
                    batcher.add(new DownloadJob(e, target, true)); // a fresh directory: no need to look
                    return;
                }
                switch (DownloadPlan.fileAction(e, attrs(target))) {
                    case KEEP -> {
                        setMode(target, e.mode());
                        filesSkipped.incrementAndGet();
                    }
                    case REFUSE_DIRECTORY ->
                        throw new SyncException("Cannot materialise file '" + e.path()
                                + "': a directory exists at that path (remove it from the session first)");
                    case CREATE -> batcher.add(new DownloadJob(e, target, true));
                    case REPLACE -> batcher.add(new DownloadJob(e, target, false));
                }
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

    private void ensureDir(String rel, String entryPath) throws IOException {
        ensureDir(rel, entryPath, -1);
    }

    /**
     * Makes sure the directory {@code rel} exists as a real directory, checking every component. A directory
     * created here gets {@code mode} if it is not -1. Returns whether the caller must still set the mode.
     */
    private boolean ensureDir(String rel, String entryPath, int mode) throws IOException {
        if (rel.isEmpty() || verifiedDirs.contains(rel)) {
            return true;
        }
        int slash = rel.lastIndexOf('/');
        ensureDir(slash < 0 ? "" : rel.substring(0, slash), entryPath);
        Path p = root.resolve(rel);
        boolean modeSet = false;
        boolean parentCreated = createdDirs.contains(slash < 0 ? "" : rel.substring(0, slash));
        BasicFileAttributes a = parentCreated ? null : attrs(p);
        if (a == null) {
            try {
                if (mode >= 0 && createsExactly(mode)) {
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(Modes.fromBits(mode)));
                    modeSet = true;
                } else {
                    Files.createDirectory(p);
                }
                createdDirs.add(rel);
            } catch (FileAlreadyExistsException ex) {
                if (!parentCreated) {
                    throw ex;
                }
                a = attrs(p); // appeared concurrently: check it like any existing entry
            }
        }
        if (a != null && a.isSymbolicLink()) {
            throw new SyncException("Cannot materialise '" + entryPath + "': its parent '"
                    + ContextPaths.child(req.mountPath(), rel) + "' is a symlink (refusing to write through symlinks)");
        } else if (a != null && !a.isDirectory()) {
            throw new SyncException(
                    "Cannot materialise '" + entryPath + "': its parent '" + ContextPaths.child(req.mountPath(), rel)
                            + "' is not a directory (remove it from the session first)");
        }
        verifiedDirs.add(rel);
        return !modeSet;
    }

    /**
     * True if creating a file or directory with these permission bits yields exactly them (the process umask
     * removes none of them), so no chmod is needed afterwards.
     */
    private static boolean createsExactly(int mode) {
        Integer u = umask;
        if (u == null) {
            u = detectUmask();
            umask = u;
        }
        return (mode & ~0777) == 0 && (mode & u) == 0;
    }

    private static int detectUmask() {
        Path probe = null;
        try {
            probe = Files.createTempFile(
                    Scanner.TEMP_PREFIX + "umask-", ".tmp", PosixFilePermissions.asFileAttribute(Modes.fromBits(0777)));
            PosixFileAttributes a = Files.readAttributes(probe, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return 0777 & ~Modes.toBits(a.permissions());
        } catch (IOException | UnsupportedOperationException e) {
            return 0777; // unknown: always chmod
        } finally {
            Manifests.deleteQuietly(probe);
        }
    }

    private void submit(Runnable work) {
        inFlight.acquireUninterruptibly();
        Runnable task = () -> {
            try {
                work.run();
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

    /** Reads the batch's range once, front to back, and writes its files in order. */
    private void writeBatch(ReadBatcher.Batch b) {
        InputStream in = null;
        String broken = null;
        long pos = b.start();
        try {
            for (DownloadJob job : b.jobs()) {
                ManifestEntry e = job.entry();
                if (broken != null) {
                    failures.add(new EntryFailure(e.path(), broken));
                    continue;
                }
                byte[] data = null;
                if (e.blob() != null) {
                    try {
                        if (in == null) {
                            in = store.get(b.key(), b.start(), b.end() - b.start());
                        }
                        in.skipNBytes(e.blob().offset() - pos);
                        data = in.readNBytes((int) e.blob().length());
                        pos = e.blob().offset() + data.length;
                        if (data.length != e.blob().length()) {
                            throw new IOException("the object ended early");
                        }
                    } catch (IOException | RuntimeException ex) {
                        broken = "Cannot read file '" + e.path() + "': " + reason(ex);
                        failures.add(new EntryFailure(e.path(), broken));
                        continue;
                    }
                }
                try {
                    writeSmall(job, data);
                } catch (IOException | RuntimeException ex) {
                    failures.add(new EntryFailure(e.path(), reason(ex)));
                }
            }
        } finally {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
        }
    }

    private static final byte[] NO_BYTES = new byte[0];

    private void writeSmall(DownloadJob job, byte[] content) throws IOException {
        ManifestEntry e = job.entry();
        byte[] data = content == null ? NO_BYTES : content;
        int length = data.length;
        if (length != e.size() || Hashing.hash(data, 0, length) != e.hash()) {
            throw new IOException("Cannot read file '" + e.path() + "': stored content does not match its hash or"
                    + " length (the blob is corrupt; re-upload the file)");
        }
        if (job.absent()) {
            boolean modeSet = createsExactly(e.mode());
            Path target = job.target();
            SeekableByteChannel ch;
            try {
                ch = modeSet
                        ? Files.newByteChannel(target, Set.of(CREATE_NEW), permissions(e.mode()))
                        : Files.newByteChannel(target, Set.of(CREATE_NEW));
            } catch (FileAlreadyExistsException ex) {
                replace(job, out -> out.write(data, 0, length)); // appeared since it was planned
                return;
            }
            boolean ok = false;
            try {
                try (ch) {
                    ByteBuffer buf = ByteBuffer.wrap(data, 0, length);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                }
                finishFile(target, e, modeSet);
                ok = true;
            } finally {
                if (!ok) {
                    Manifests.deleteQuietly(target); // ours: created above
                }
            }
            return;
        }
        replace(job, out -> out.write(data, 0, length));
    }

    /** Streams a big file: in place if its target was absent, else through a temporary file. */
    private void writeBig(DownloadJob job) {
        ManifestEntry e = job.entry();
        try {
            if (job.absent()) {
                boolean modeSet = createsExactly(e.mode());
                OutputStream out;
                try {
                    out = modeSet
                            ? java.nio.channels.Channels.newOutputStream(
                                    Files.newByteChannel(job.target(), Set.of(CREATE_NEW), permissions(e.mode())))
                            : Files.newOutputStream(job.target(), CREATE_NEW);
                } catch (FileAlreadyExistsException ex) {
                    replace(job, this::copyContent);
                    return;
                }
                boolean ok = false;
                try {
                    try (out) {
                        copyContent(job, out);
                    }
                    finishFile(job.target(), e, modeSet);
                    ok = true;
                } finally {
                    if (!ok) {
                        Manifests.deleteQuietly(job.target());
                    }
                }
            } else {
                replace(job, this::copyContent);
            }
        } catch (IOException | RuntimeException ex) {
            failures.add(new EntryFailure(e.path(), reason(ex)));
        }
    }

    private void copyContent(DownloadJob job, OutputStream out) throws IOException {
        ManifestEntry e = job.entry();
        try (InputStream in = new Hashing.VerifyingInputStream(
                store.get(e.blob().objectKey(), e.blob().offset(), e.blob().length()),
                e.hash(),
                e.size(),
                "file '" + e.path() + "'")) {
            in.transferTo(out);
        }
    }

    @FunctionalInterface
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    @FunctionalInterface
    private interface JobContent {
        void writeTo(DownloadJob job, OutputStream out) throws IOException;
    }

    private void replace(DownloadJob job, JobContent content) throws IOException {
        replace(job, (Content) out -> content.writeTo(job, out));
    }

    /** Writes a temporary file next to the target and renames it over whatever is there. */
    private void replace(DownloadJob job, Content content) throws IOException {
        ManifestEntry e = job.entry();
        Path target = job.target();
        Path temp = target.resolveSibling(Scanner.TEMP_PREFIX + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp, CREATE_NEW)) {
                content.writeTo(out);
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

    private void finishFile(Path target, ManifestEntry e, boolean modeSet) throws IOException {
        if (!modeSet) {
            setMode(target, e.mode());
        }
        setTimes(target, e.mtimeMillis());
        filesWritten.incrementAndGet();
        bytesWritten.addAndGet(e.size());
    }

    private static FileAttribute<Set<PosixFilePermission>> permissions(int mode) {
        return PosixFilePermissions.asFileAttribute(Modes.fromBits(mode));
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
                if (!plan.mapped()) {
                    try (ManifestReader r = manifests.open(head)) {
                        while (r.hasNext()) {
                            ManifestEntry e = plan.select(r.next());
                            if (e != null && !failed.contains(e.path())) {
                                w.write(e);
                            }
                        }
                    }
                }
            }
            // The base's reference time for ctime checks (see Uploader): everything this download wrote, up to
            // and including the clock tick the base was written in, is what the base describes.
            FileTime written = Files.getLastModifiedTime(temp);
            Files.setLastModifiedTime(temp, FileTime.from(written.to(TimeUnit.NANOSECONDS) + 1, TimeUnit.NANOSECONDS));
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SyncException(
                    "Cannot write base snapshot '" + target + "': " + e + " (check that its directory is writable)", e);
        } finally {
            Manifests.deleteQuietly(temp);
        }
    }
}
