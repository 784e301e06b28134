package org.openagb.sync.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.openagb.storage.ObjectStore;
import org.openagb.sync.BlobRef;
import org.openagb.sync.SyncException;
import org.openagb.sync.SyncOptions;

/**
 * Stores file contents as blobs: small files are appended to an in-memory pack sent when full; big files are
 * streamed as their own object. At most {@code parallelism} puts are in flight; the caller blocks beyond that,
 * which bounds memory. Keys are random ({@code blobs/<ctx>/<uuid>}). Used by one thread (puts run on the
 * executor).
 */
public final class BlobUploader {
    /** Where a file's content was stored and its hash. */
    public record Stored(long hash, BlobRef blob) {}

    private final ObjectStore store;
    private final Executor executor;
    private final String contextId;
    private final SyncOptions options;
    private final Semaphore inFlight;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ConcurrentLinkedQueue<String> stored = new ConcurrentLinkedQueue<>();
    private ByteArrayOutputStream pack;
    private String packKey;

    public BlobUploader(ObjectStore store, Executor executor, String contextId, SyncOptions options) {
        this.store = store;
        this.executor = executor;
        this.contextId = contextId;
        this.options = options;
        this.inFlight = new Semaphore(options.parallelism());
    }

    private String newKey() {
        return Manifests.blobPrefix(contextId) + UUID.randomUUID();
    }

    private static SyncException changed(String path, long expected, long actual) {
        return new SyncException("Cannot upload file '" + path + "': it changed during upload (size " + expected
                + " -> " + actual + ") (retry when the file is no longer being written)");
    }

    /**
     * Stores a non-empty file's content.
     *
     * @param knownHash the content hash if already computed, else null
     * @throws SyncException if the file cannot be read, changed size while being read, or an earlier put failed
     */
    public Stored store(Path file, String path, long size, Long knownHash) {
        checkFailure();
        return size < options.packThreshold() ? addToPack(file, path, size) : storeBig(file, path, size, knownHash);
    }

    private Stored addToPack(Path file, String path, long size) {
        byte[] data;
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            data = in.readNBytes((int) size + 1);
        } catch (IOException e) {
            throw new SyncException("Cannot upload file '" + path + "': " + e + " (check its permissions)", e);
        }
        if (data.length != size) {
            throw changed(path, size, data.length);
        }
        if (pack == null) {
            pack = new ByteArrayOutputStream(
                    (int) Math.min(options.packTargetSize() + options.packThreshold(), 1 << 20));
            packKey = newKey();
        }
        long offset = pack.size();
        pack.write(data, 0, data.length);
        Stored s = new Stored(Hashing.hash(data, 0, data.length), new BlobRef(packKey, offset, size));
        if (pack.size() >= options.packTargetSize()) {
            flushPack();
        }
        return s;
    }

    private void flushPack() {
        if (pack == null || pack.size() == 0) {
            return;
        }
        byte[] bytes = pack.toByteArray();
        String key = packKey;
        pack = null;
        packKey = null;
        submit(() -> {
            store.put(key, new ByteArrayInputStream(bytes), bytes.length);
            stored.add(key);
        });
    }

    private Stored storeBig(Path file, String path, long size, Long knownHash) {
        long hash;
        if (knownHash != null) {
            hash = knownHash;
        } else {
            Hashing.FileHash fh = hashFile(file, path);
            if (fh.length() != size) {
                throw changed(path, size, fh.length());
            }
            hash = fh.hash();
        }
        String key = newKey();
        submit(() -> {
            try (Hashing.HashingInputStream in = new Hashing.HashingInputStream(
                    Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                try {
                    store.put(key, in, size);
                } catch (RuntimeException e) {
                    if (in.count() != size) {
                        throw changed(path, size, in.count());
                    }
                    throw e;
                }
                stored.add(key);
                if (in.hash() != hash) {
                    throw new SyncException("Cannot upload file '" + path
                            + "': it changed during upload (content differs from when it was hashed)"
                            + " (retry when the file is no longer being written)");
                }
            } catch (IOException e) {
                throw new SyncException("Cannot upload file '" + path + "': " + e + " (check its permissions)", e);
            }
        });
        return new Stored(hash, new BlobRef(key, 0, size));
    }

    static Hashing.FileHash hashFile(Path file, String path) {
        try {
            return Hashing.hashFile(file);
        } catch (IOException e) {
            throw new SyncException("Cannot read file '" + path + "': " + e + " (check its permissions)", e);
        }
    }

    private void submit(Runnable put) {
        inFlight.acquireUninterruptibly();
        Runnable task = () -> {
            try {
                if (failure.get() == null) {
                    put.run();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                inFlight.release();
            }
        };
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
        checkFailure();
    }

    private void checkFailure() {
        Throwable t = failure.get();
        if (t != null) {
            awaitAll();
            if (t instanceof SyncException se) {
                throw se;
            }
            throw new SyncException(
                    "Cannot upload to context '" + contextId + "': " + t.getMessage()
                            + " (check the object store and retry)",
                    t);
        }
    }

    private void awaitAll() {
        inFlight.acquireUninterruptibly(options.parallelism());
        inFlight.release(options.parallelism());
    }

    /** Sends the last pack and waits for every put; throws the first failure. */
    public void finish() {
        flushPack();
        awaitAll();
        checkFailure();
    }

    /** Waits for puts in flight, then deletes every blob stored so far (best effort). */
    public void abort() {
        pack = null;
        awaitAll();
        for (String key : stored) {
            try {
                store.delete(key);
            } catch (RuntimeException ignored) {
                // an orphan blob is harmless; garbage collection removes it
            }
        }
    }

    public List<String> storedKeys() {
        return List.copyOf(stored);
    }
}
