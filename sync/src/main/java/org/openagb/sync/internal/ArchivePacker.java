package org.openagb.sync.internal;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.openagb.model.UploadMode;
import org.openagb.storage.ObjectStore;
import org.openagb.storage.ObjectWriter;
import org.openagb.storage.StorageException;
import org.openagb.sync.ArchiveUploadRequest;
import org.openagb.sync.ArchiveUploadResult;
import org.openagb.sync.BlobRef;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.EntryType;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.SyncException;

/**
 * One Archive-mode upload: packs the mount's tree into a standard zip streamed straight into the object store,
 * then commits it as the single entry {@code <mount>/<last>.zip}, dropping every other entry under the mount.
 *
 * <p>Pipeline: a walker thread walks the tree ({@link Scanner}: sorted, never following symlinks) and hands
 * each file of up to {@link #SMALL_MAX} bytes to a pool of compression workers (one per core), which read it,
 * compute its CRC and deflate it at level 1 into memory, or keep it as is (STORED) if its extension marks a
 * compressed format or deflating does not shrink it. Files of more than {@link #CHUNK} bytes (up to
 * {@link #CHUNKED_MAX}) whose sample compresses are split into chunks deflated in parallel (each primed with
 * the 32 KiB before it and ended with a sync flush, so the concatenation is one deflate stream; the chunk CRCs
 * are combined). The calling thread writes the finished entries in walk order as raw zip entries. At most
 * {@link #WINDOW_BYTES} bytes of file content and {@link #WINDOW_ENTRIES} entries are in flight, so memory
 * stays bounded. Bigger files are streamed by the calling thread itself (deflated with a data descriptor, or
 * STORED after a CRC pre-pass when a sample does not compress): no temp file and no second copy of the tree. Directories (so empty ones survive), modes and mtimes are recorded;
 * symlinks are stored as zip symlink entries unless their target leaves the mount, then they are skipped.
 *
 * <p>Why it is this long: a streaming zip writer that deflates entries and 1 MiB chunks of big files in parallel yet
 * writes them in order, with CRC combination and zip64, in one pass without a temporary copy; splitting the
 * ordering from the writing would put the same buffers behind two classes.
 */
public final class ArchivePacker {
    static final int SMALL_MAX = 1 << 20;
    static final int CHUNK = 1 << 20;
    /** Incompressible files up to this size are still read (once) by a worker rather than streamed. */
    static final int WHOLE_MAX = 8 << 20;

    static final long CHUNKED_MAX = 32L << 20;
    private static final int DICT = 32 * 1024;
    static final long WINDOW_BYTES = 32L << 20;
    static final int WINDOW_ENTRIES = 1024;
    static final int LEVEL = 1;
    private static final int SAMPLE = 128 * 1024;

    /** A file ready to be written: its zip entry (sizes, CRC and method set) and raw entry data. */
    private record Ready(ZipArchiveEntry entry, byte[] data, int length) {}

    private static final class Item {
        final LocalEntry local;
        final String rel;
        final CompletableFuture<Ready> ready;
        final long weight;

        Item(LocalEntry local, String rel, CompletableFuture<Ready> ready, long weight) {
            this.local = local;
            this.rel = rel;
            this.ready = ready;
            this.weight = weight;
        }
    }

    private final ObjectStore store;
    private final Manifests manifests;
    private final Clock clock;
    private final ArchiveUploadRequest req;
    private final ConcurrentLinkedQueue<Deflater> deflaters = new ConcurrentLinkedQueue<>();
    private final List<String> skipped = new ArrayList<>();
    private static final Item END = new Item(null, null, null, 0);
    private final ArrayBlockingQueue<Item> queue = new ArrayBlockingQueue<>(WINDOW_ENTRIES);
    private final Semaphore windowKb = new Semaphore((int) (WINDOW_BYTES >> 10));
    private volatile Throwable walkFailure;
    private long files;
    private long directories;
    private long symlinks;
    private long bytesIn;
    private long deflated;
    private long storedCount;
    private long replaced;
    private volatile boolean cancelled;
    private final java.util.concurrent.Executor compression;

    /**
     * @param compression runs the deflate of entries and of chunks of big files (the engine's executor)
     */
    public ArchivePacker(
            ObjectStore store,
            Manifests manifests,
            Clock clock,
            ArchiveUploadRequest req,
            java.util.concurrent.Executor compression) {
        this.compression = compression;
        this.store = store;
        this.manifests = manifests;
        this.clock = clock;
        this.req = req;
    }

    public ArchiveUploadResult run() {
        Manifests.requireMode(req.contextId(), req.mountPath(), UploadMode.ARCHIVE, manifests.head(req.contextId()));
        String archivePath = ContextPaths.archivePath(req.mountPath());
        String selfRel = ContextPaths.archiveName(req.mountPath());
        String key = Manifests.blobPrefix(req.contextId()) + UUID.randomUUID();
        Scanner scanner = new Scanner(req.hostDir(), req.mountPath(), req.scope());
        ObjectWriter writer = store.create(key);
        HashingOutputStream hashing = new HashingOutputStream(writer);
        boolean keepBlob = false;
        boolean blobWritten = false;
        try {
            BufferedOutputStream buffered = new BufferedOutputStream(hashing, 256 * 1024);
            ZipArchiveOutputStream zip = new ZipArchiveOutputStream(buffered);
            zip.setUseZip64(Zip64Mode.AsNeeded);
            zip.setLevel(LEVEL);
            try {
                pack(scanner, selfRel, zip);
                zip.finish();
                buffered.flush();
            } catch (IOException e) {
                throw new SyncException(
                        "Cannot pack '" + req.hostDir() + "' into archive '" + archivePath + "': " + e.getMessage()
                                + " (check the files' permissions; retry if they were being written)",
                        e);
            } finally {
                cancelled = true;
            }
            try {
                writer.commit();
            } catch (StorageException e) {
                throw new SyncException(
                        "Cannot store archive '" + archivePath + "': " + e.getMessage() + " (check the object store)",
                        e);
            }
            blobWritten = true;
            long now = clock.millis();
            long size = hashing.count();
            ManifestEntry entry =
                    ManifestEntry.file(archivePath, size, now, 0644, hashing.hash(), new BlobRef(key, 0, size), now);
            ManifestEntry[] previous = new ManifestEntry[1];
            Manifests.Committed c = manifests.commit(
                    req.contextId(),
                    UploadMode.ARCHIVE,
                    req.mountPath(),
                    (r, out) -> rewrite(r, out, entry, archivePath, previous));
            keepBlob = c.attempts() > 0;
            ManifestEntry result = keepBlob ? entry : previous[0];
            return new ArchiveUploadResult(
                    c.head().generation(),
                    archivePath,
                    result,
                    files,
                    directories,
                    symlinks,
                    bytesIn,
                    deflated,
                    storedCount,
                    skipped,
                    replaced,
                    c.attempts(),
                    message(archivePath, size, keepBlob));
        } finally {
            writer.abort(); // no-op once committed
            hashing.release();
            Deflater d;
            while ((d = deflaters.poll()) != null) {
                d.end();
            }
            if (blobWritten && !keepBlob) {
                try {
                    store.delete(key);
                } catch (RuntimeException ignored) {
                    // an orphan blob is harmless; garbage collection removes it
                }
            }
        }
    }

    private boolean rewrite(
            ManifestReader r, ManifestWriter out, ManifestEntry entry, String archivePath, ManifestEntry[] previous) {
        String mount = req.mountPath();
        replaced = 0;
        previous[0] = null;
        List<ManifestEntry> pending = new ArrayList<>(1);
        pending.add(entry);
        boolean written = false;
        while (r.hasNext()) {
            ManifestEntry e = r.next();
            if (e.path().equals(archivePath)) {
                previous[0] = e;
                continue;
            }
            if (ContextPaths.isUnder(e.path(), mount)) {
                replaced++;
                continue;
            }
            if (e.type() != EntryType.DIRECTORY && ContextPaths.isUnderOrEqual(mount, e.path())) {
                throw new SyncException("Cannot upload archive '" + archivePath + "': '" + e.path()
                        + "' is a file in context '" + req.contextId() + "' (delete it first)");
            }
            if (!written && ContextPaths.compare(e.path(), archivePath) > 0) {
                out.write(entry);
                written = true;
            }
            out.write(e);
        }
        if (!written) {
            out.write(entry);
        }
        ManifestEntry p = previous[0];
        boolean identical = p != null
                && replaced == 0
                && p.type() == EntryType.FILE
                && p.size() == entry.size()
                && p.hash() == entry.hash()
                && p.mode() == entry.mode();
        return !identical;
    }

    private static int permits(Item item) {
        return (int) Math.min(WINDOW_BYTES >> 10, (item.weight >> 10) + 1);
    }

    /** Writes what the walker thread produces, in walk order. */
    private void pack(Scanner scanner, String selfRel, ZipArchiveOutputStream zip) throws IOException {
        Thread walker = new Thread(() -> walk(scanner, selfRel), "openagb-archive-walk");
        walker.setDaemon(true);
        walker.start();
        try {
            while (true) {
                Item item;
                try {
                    item = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                if (item == END) {
                    break;
                }
                try {
                    writeNext(zip, item);
                } finally {
                    windowKb.release(permits(item));
                }
            }
            Throwable t = walkFailure;
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t != null) {
                throw new IOException(t.toString(), t);
            }
        } finally {
            cancelled = true;
            drainQuietly(walker);
        }
    }

    /** The walker thread: scans, starts the compression of each file and queues the items in walk order. */
    private void walk(Scanner scanner, String selfRel) {
        try {
            while (!cancelled && scanner.hasNext()) {
                LocalEntry l = scanner.next();
                String rel = ContextPaths.relativize(l.path(), req.mountPath());
                Item item;
                switch (l.type()) {
                    case DIRECTORY -> item = new Item(l, rel, null, 0);
                    case SYMLINK -> {
                        String problem = ArchiveEntries.symlinkProblem(rel, l.linkTarget());
                        if (problem != null) {
                            skipped.add(l.path());
                            continue;
                        }
                        item = new Item(l, rel, null, 0);
                    }
                    default -> {
                        if (rel.equals(selfRel)) {
                            continue; // the archive a previous download left in the tree
                        }
                        if (l.size() <= SMALL_MAX) {
                            CompletableFuture<Ready> f =
                                    CompletableFuture.supplyAsync(() -> compress(l, rel), compression);
                            item = new Item(l, rel, f, Math.max(l.size(), 512));
                        } else if (l.size() <= CHUNKED_MAX
                                && !ArchiveEntries.alreadyCompressed(rel)
                                && sampleCompresses(l)) {
                            item = new Item(l, rel, compressChunked(l, rel), l.size());
                        } else if (l.size() <= WHOLE_MAX) {
                            CompletableFuture<Ready> f =
                                    CompletableFuture.supplyAsync(() -> compress(l, rel), compression);
                            item = new Item(l, rel, f, l.size());
                        } else {
                            item = new Item(l, rel, null, 0);
                        }
                    }
                }
                while (!windowKb.tryAcquire(permits(item), 50, TimeUnit.MILLISECONDS)) {
                    if (cancelled) {
                        return;
                    }
                }
                while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                    if (cancelled) {
                        return;
                    }
                }
            }
        } catch (Throwable t) {
            walkFailure = t;
        } finally {
            while (!cancelled) {
                try {
                    if (queue.offer(END, 50, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
    }

    /** One chunk of a big file, deflated (sync-flushed unless last) with its CRC. */
    private record Chunk(byte[] data, int length, long crc, int inLength) {}

    private CompletableFuture<Ready> compressChunked(LocalEntry l, String rel) {
        long size = l.size();
        int n = (int) ((size + CHUNK - 1) / CHUNK);
        List<CompletableFuture<Chunk>> chunks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long off = (long) i * CHUNK;
            int len = (int) Math.min(CHUNK, size - off);
            boolean last = i == n - 1;
            chunks.add(CompletableFuture.supplyAsync(() -> compressChunk(l, off, len, last), compression));
        }
        return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            long crc = 0;
            int total = 0;
            for (CompletableFuture<Chunk> c : chunks) {
                Chunk ch = c.join();
                crc = Crc32Combine.combine(crc, ch.crc, ch.inLength);
                total += ch.length;
            }
            byte[] out = new byte[total];
            int pos = 0;
            for (CompletableFuture<Chunk> c : chunks) {
                Chunk ch = c.join();
                System.arraycopy(ch.data, 0, out, pos, ch.length);
                pos += ch.length;
            }
            ZipArchiveEntry ze = new ZipArchiveEntry(rel);
            ze.setUnixMode(UnixStat.FILE_FLAG | l.mode());
            ze.setSize(size);
            ze.setCrc(crc);
            ze.setMethod(ZipEntry.DEFLATED);
            ze.setCompressedSize(total);
            ArchiveEntries.setMtime(ze, l.mtimeMillis());
            return new Ready(ze, out, total);
        });
    }

    private Chunk compressChunk(LocalEntry l, long off, int len, boolean last) {
        if (cancelled) {
            throw new SyncException("cancelled");
        }
        int dict = (int) Math.min(off, DICT);
        byte[] in = new byte[dict + len];
        try (FileChannel ch = FileChannel.open(l.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buf = ByteBuffer.wrap(in);
            long pos = off - dict;
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos);
                if (r < 0) {
                    throw changed(l.path(), l.size(), pos);
                }
                pos += r;
            }
            if (last && ch.size() != l.size()) {
                throw changed(l.path(), l.size(), ch.size());
            }
        } catch (IOException e) {
            throw new SyncException("Cannot archive file '" + l.path() + "': " + e + " (check its permissions)", e);
        }
        CRC32 crc = new CRC32();
        crc.update(in, dict, len);
        Deflater d = deflaters.poll();
        if (d == null) {
            d = new Deflater(LEVEL, true);
        }
        try {
            if (dict > 0) {
                d.setDictionary(in, 0, dict);
            }
            d.setInput(in, dict, len);
            byte[] out = new byte[len + (len >> 3) + 64];
            int n = 0;
            if (last) {
                d.finish();
                while (!d.finished()) {
                    if (n == out.length) {
                        out = java.util.Arrays.copyOf(out, out.length * 2);
                    }
                    n += d.deflate(out, n, out.length - n);
                }
            } else {
                while (true) {
                    int k = d.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
                    n += k;
                    if (n < out.length) {
                        break;
                    }
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
            }
            return new Chunk(out, n, crc.getValue(), len);
        } finally {
            d.reset();
            deflaters.offer(d);
        }
    }

    private void writeNext(ZipArchiveOutputStream zip, Item item) throws IOException {
        LocalEntry l = item.local;
        switch (l.type()) {
            case DIRECTORY -> {
                ZipArchiveEntry ze = new ZipArchiveEntry(item.rel + "/");
                ze.setUnixMode(UnixStat.DIR_FLAG | l.mode());
                rawEntry(zip, ze, ZipEntry.STORED, new byte[0], 0, 0, 0, l.mtimeMillis());
                directories++;
            }
            case SYMLINK -> {
                ZipArchiveEntry ze = new ZipArchiveEntry(item.rel);
                ze.setUnixMode(UnixStat.LINK_FLAG | 0777);
                byte[] target = l.linkTarget().getBytes(StandardCharsets.UTF_8);
                CRC32 crc = new CRC32();
                crc.update(target);
                rawEntry(
                        zip,
                        ze,
                        ZipEntry.STORED,
                        target,
                        target.length,
                        target.length,
                        crc.getValue(),
                        l.mtimeMillis());
                symlinks++;
            }
            case FILE -> {
                if (item.ready == null) {
                    writeBig(zip, l, item.rel);
                } else {
                    Ready r = await(item.ready);
                    zip.addRawArchiveEntry(r.entry, new ByteArrayInputStream(r.data, 0, r.length));
                    count(r.entry.getMethod(), l.size());
                }
                files++;
                bytesIn += l.size();
            }
        }
    }

    private void count(int method, long size) {
        if (method == ZipEntry.DEFLATED) {
            deflated++;
        } else if (size > 0) {
            storedCount++;
        }
    }

    private void rawEntry(
            ZipArchiveOutputStream zip,
            ZipArchiveEntry ze,
            int method,
            byte[] data,
            int length,
            long size,
            long crc,
            long mtimeMillis)
            throws IOException {
        ze.setMethod(method);
        ze.setSize(size);
        ze.setCompressedSize(length);
        ze.setCrc(crc);
        ArchiveEntries.setMtime(ze, mtimeMillis);
        zip.addRawArchiveEntry(ze, new ByteArrayInputStream(data, 0, length));
    }

    private static Ready await(CompletableFuture<Ready> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof SyncException se) {
                throw se;
            }
            throw new IOException(c.getMessage() == null ? c.toString() : c.getMessage(), c);
        }
    }

    /** After the writer stopped: unblocks and waits for the walker, and lets queued compressions finish. */
    private void drainQuietly(Thread walker) {
        while (true) {
            Item item = queue.poll();
            if (item == null) {
                if (!walker.isAlive()) {
                    break;
                }
                try {
                    walker.join(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                continue;
            }
            if (item != END) {
                windowKb.release(permits(item));
                if (item.ready != null) {
                    try {
                        item.ready.join();
                    } catch (RuntimeException ignored) {
                        // failing already
                    }
                }
            }
        }
    }

    private static SyncException changed(String path, long expected, long actual) {
        return new SyncException("Cannot archive file '" + path + "': it changed while being packed (size " + expected
                + " -> " + actual + ") (retry when the file is no longer being written)");
    }

    private static InputStream open(LocalEntry l) throws IOException {
        return Files.newInputStream(l.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** Worker: reads a small file, CRCs it and deflates it unless that does not pay. */
    private Ready compress(LocalEntry l, String rel) {
        if (cancelled) {
            throw new SyncException("cancelled");
        }
        int size = (int) l.size();
        byte[] data;
        try (InputStream in = open(l)) {
            data = in.readNBytes(size + 1);
        } catch (IOException e) {
            throw new SyncException("Cannot archive file '" + l.path() + "': " + e + " (check its permissions)", e);
        }
        if (data.length != size) {
            throw changed(l.path(), size, data.length);
        }
        CRC32 crc = new CRC32();
        crc.update(data, 0, size);
        ZipArchiveEntry ze = new ZipArchiveEntry(rel);
        ze.setUnixMode(UnixStat.FILE_FLAG | l.mode());
        ze.setSize(size);
        ze.setCrc(crc.getValue());
        ArchiveEntries.setMtime(ze, l.mtimeMillis());
        if (size > 0 && !ArchiveEntries.alreadyCompressed(rel)) {
            byte[] out = new byte[size - 1];
            int n = deflateCapped(data, size, out);
            if (n >= 0) {
                ze.setMethod(ZipEntry.DEFLATED);
                ze.setCompressedSize(n);
                return new Ready(ze, out, n);
            }
        }
        ze.setMethod(ZipEntry.STORED);
        ze.setCompressedSize(size);
        return new Ready(ze, data, size);
    }

    /** Deflates into {@code out}; returns the compressed length, or -1 if it does not fit (no gain). */
    private int deflateCapped(byte[] data, int length, byte[] out) {
        Deflater d = deflaters.poll();
        if (d == null) {
            d = new Deflater(LEVEL, true);
        }
        try {
            d.setInput(data, 0, length);
            d.finish();
            int n = 0;
            while (!d.finished() && n < out.length) {
                n += d.deflate(out, n, out.length - n);
            }
            return d.finished() ? n : -1;
        } finally {
            d.reset();
            deflaters.offer(d);
        }
    }

    /** Streams a big file on the calling thread; STORED (CRC pre-pass) if a sample does not compress. */
    private void writeBig(ZipArchiveOutputStream zip, LocalEntry l, String rel) throws IOException {
        long size = l.size();
        ZipArchiveEntry ze = new ZipArchiveEntry(rel);
        ze.setUnixMode(UnixStat.FILE_FLAG | l.mode());
        ze.setSize(size);
        ArchiveEntries.setMtime(ze, l.mtimeMillis());
        boolean storeIt = ArchiveEntries.alreadyCompressed(rel) || !sampleCompresses(l);
        byte[] buf = new byte[1 << 20];
        if (storeIt) {
            CRC32 crc = new CRC32();
            long total = 0;
            try (InputStream in = open(l)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    crc.update(buf, 0, n);
                    total += n;
                }
            }
            if (total != size) {
                throw changed(l.path(), size, total);
            }
            ze.setMethod(ZipEntry.STORED);
            ze.setCompressedSize(size);
            ze.setCrc(crc.getValue());
        } else {
            ze.setMethod(ZipEntry.DEFLATED);
        }
        zip.putArchiveEntry(ze);
        long total = 0;
        try (InputStream in = open(l)) {
            while (total < size) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size - total));
                if (n < 0) {
                    break;
                }
                zip.write(buf, 0, n);
                total += n;
            }
            if (total != size || in.read() != -1) {
                throw changed(l.path(), size, total != size ? total : size + 1);
            }
        }
        try {
            zip.closeArchiveEntry();
        } catch (java.util.zip.ZipException e) {
            throw new SyncException("Cannot archive file '" + l.path() + "': it changed while being packed ("
                    + e.getMessage() + ") (retry when it is no longer written)");
        }
        count(ze.getMethod(), size);
    }

    private boolean sampleCompresses(LocalEntry l) throws IOException {
        byte[] sample;
        try (InputStream in = open(l)) {
            sample = in.readNBytes(SAMPLE);
        }
        if (sample.length == 0) {
            return false;
        }
        byte[] out = new byte[sample.length * 9 / 10];
        return deflateCapped(sample, sample.length, out) >= 0;
    }

    private String message(String archivePath, long size, boolean committed) {
        StringBuilder sb = new StringBuilder(committed ? "Archived " : "Archive unchanged: ");
        sb.append(files)
                .append(" file(s) (")
                .append(bytesIn)
                .append(" bytes), ")
                .append(directories)
                .append(" dir(s), ")
                .append(symlinks)
                .append(" symlink(s) into ")
                .append(archivePath)
                .append(" (")
                .append(size)
                .append(" bytes; ")
                .append(deflated)
                .append(" deflated, ")
                .append(storedCount)
                .append(" stored)");
        if (replaced > 0) {
            sb.append("; replaced ").append(replaced).append(" other entr(ies) under the mount");
        }
        if (!skipped.isEmpty()) {
            sb.append("; skipped ")
                    .append(skipped.size())
                    .append(" symlink(s) pointing outside the mount, first: ")
                    .append(skipped.get(0));
        }
        return sb.toString();
    }
}
