package org.openagb.sync.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.openagb.storage.ObjectInfo;
import org.openagb.storage.ObjectStore;
import org.openagb.sync.BlobRef;
import org.openagb.sync.CompactResult;
import org.openagb.sync.Head;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.SyncException;

/**
 * Rewrites the packs of a context that are mostly dead: a pack stays whole while any of its files is referenced, so a
 * tree whose small files changed over time can hold many packs of which the head uses a small share. The live ranges
 * of every pack whose share used by the head is under the threshold are copied, in offset order, into new packs of
 * about the target size; then one ordinary commit (compare-and-set, re-run against a newer head when another commit
 * wins) points the entries that still reference an old range at its copy. Entries that a racing commit changed no
 * longer reference the old range and are left alone, so no commit is undone. The old packs become garbage for a
 * later collection (after the grace period, and once no retained version references them). Contents and hashes are
 * unchanged. Memory: the live ranges of the packs being rewritten (at most a few thousand per pack) and one count per
 * object of the context.
 */
public final class PackCompactor {
    private static final CompactResult NONE = new CompactResult(0, 0, 0, 0);

    private final ObjectStore store;
    private final Manifests manifests;
    private final long packTargetSize;

    public PackCompactor(ObjectStore store, Manifests manifests, long packTargetSize) {
        this.store = store;
        this.manifests = manifests;
        this.packTargetSize = packTargetSize;
    }

    /**
     * Compacts the context's packs older than {@code cutoff} whose live share (bytes the head references over the
     * pack's size) is under {@code threshold}.
     */
    public CompactResult compact(String contextId, Instant cutoff, double threshold) {
        Head head = manifests.head(contextId);
        if (head.manifestKey() == null) {
            return NONE;
        }
        // Pass 1: bytes the head references in each object, and how many entries do (a pack has several).
        Map<String, long[]> use = new HashMap<>(); // object key → {bytes referenced, entries}
        try (ManifestReader r = manifests.open(head)) {
            while (r.hasNext()) {
                BlobRef b = r.next().blob();
                if (b != null) {
                    long[] u = use.computeIfAbsent(b.objectKey(), k -> new long[2]);
                    u[0] += b.length();
                    u[1]++;
                }
            }
        }
        Map<String, ObjectInfo> candidates = new HashMap<>();
        for (ObjectInfo o : store.list(Manifests.blobPrefix(contextId))) {
            long[] u = use.get(o.key());
            if (u != null && o.lastModified().isBefore(cutoff) && (double) u[0] / o.size() < threshold) {
                candidates.put(o.key(), o);
            }
        }
        if (candidates.isEmpty()) {
            return NONE;
        }
        // Pass 2: the distinct live ranges of the candidates, in offset order.
        Map<String, TreeMap<Long, Long>> ranges = new TreeMap<>();
        try (ManifestReader r = manifests.open(head)) {
            while (r.hasNext()) {
                BlobRef b = r.next().blob();
                if (b != null && candidates.containsKey(b.objectKey())) {
                    ranges.computeIfAbsent(b.objectKey(), k -> new TreeMap<>())
                            .merge(b.offset(), b.length(), Math::max);
                }
            }
        }
        Map<BlobRef, BlobRef> moved = new HashMap<>();
        int written = 0;
        long copied = 0;
        Path temp = manifests.tempFile("pack");
        try {
            String packKey = null;
            OutputStream out = null;
            long packSize = 0;
            for (Map.Entry<String, TreeMap<Long, Long>> pack : ranges.entrySet()) {
                try (InputStream in = store.get(pack.getKey())) {
                    long position = 0;
                    for (Map.Entry<Long, Long> range : pack.getValue().entrySet()) {
                        long offset = range.getKey();
                        long length = range.getValue();
                        if (offset < position) {
                            continue; // overlaps a range already copied (never written so; skip, keep the old)
                        }
                        if (out == null) {
                            packKey = Manifests.blobPrefix(contextId) + UUID.randomUUID();
                            out = Files.newOutputStream(temp);
                            packSize = 0;
                        }
                        in.skipNBytes(offset - position);
                        copy(in, out, length);
                        position = offset + length;
                        moved.put(new BlobRef(pack.getKey(), offset, length), new BlobRef(packKey, packSize, length));
                        packSize += length;
                        copied += length;
                        if (packSize >= packTargetSize) {
                            out.close();
                            out = null;
                            putFile(packKey, temp, packSize);
                            written++;
                        }
                    }
                }
            }
            if (out != null) {
                out.close();
                putFile(packKey, temp, packSize);
                written++;
            }
        } catch (IOException e) {
            throw new SyncException(
                    "Cannot compact the packs of context '" + contextId + "': " + e.getMessage()
                            + " (the context is unchanged; the next collection tries again)",
                    e);
        } finally {
            Manifests.deleteQuietly(temp);
        }
        long[] entriesMoved = new long[1];
        manifests.commit(contextId, (current, next) -> {
            entriesMoved[0] = 0;
            while (current.hasNext()) {
                ManifestEntry e = current.next();
                BlobRef to = e.blob() == null ? null : moved.get(e.blob());
                if (to != null) {
                    e = e.withBlob(to);
                    entriesMoved[0]++;
                }
                next.write(e);
            }
            return entriesMoved[0] > 0;
        });
        return new CompactResult(ranges.size(), written, copied, entriesMoved[0]);
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("pack ended " + left + " bytes before a live range did");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private void putFile(String key, Path file, long size) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            store.put(key, in, size);
        }
    }
}
