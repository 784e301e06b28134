package org.openagb.sync.internal;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.EntryType;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.SyncException;

/** Streams entries, in strictly increasing canonical order, into the format of {@link ManifestFormat}. */
public final class ManifestWriter implements AutoCloseable {
    private final DataOutputStream out;
    private String previous = "";
    private long count;
    private long files;
    private long bytes;
    private boolean finished;

    public ManifestWriter(OutputStream raw) {
        try {
            raw.write(ManifestFormat.MAGIC);
            new DataOutputStream(raw).writeInt(ManifestFormat.VERSION);
            this.out = new DataOutputStream(new BufferedOutputStream(new ZstdOutputStream(raw, 3), 64 * 1024));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A writer to a new file. */
    public static ManifestWriter create(Path file) {
        try {
            return new ManifestWriter(Files.newOutputStream(file));
        } catch (IOException e) {
            throw new SyncException("Cannot write manifest '" + file + "': " + e + " (check disk space)", e);
        }
    }

    public long count() {
        return count;
    }

    /** Regular files written so far. */
    public long files() {
        return files;
    }

    /** The sum of the sizes of the regular files written so far. */
    public long bytes() {
        return bytes;
    }

    /**
     * Appends an entry.
     *
     * @throws IllegalStateException if it does not sort strictly after the previous entry
     */
    public void write(ManifestEntry e) {
        if (count > 0 && ContextPaths.compare(previous, e.path()) >= 0) {
            throw new IllegalStateException(
                    "manifest entries out of order: '" + e.path() + "' after '" + previous + "'");
        }
        BlobRefFields blob = e.blob() == null
                ? null
                : new BlobRefFields(e.blob().objectKey(), e.blob().offset());
        writeRaw(
                e.path(),
                e.type(),
                e.size(),
                e.mtimeMillis(),
                e.mode(),
                e.hash(),
                e.uploadedAtMillis(),
                blob,
                e.linkTarget());
    }

    /** Key and offset of a blob as written. */
    public record BlobRefFields(String key, long offset) {}

    /**
     * Appends an entry's fields without validating them or their order. Only for tests that need to produce
     * hostile manifests; everything else uses {@link #write}.
     */
    public void writeRaw(
            String path,
            EntryType type,
            long size,
            long mtime,
            int mode,
            long hash,
            long uploadedAt,
            BlobRefFields blob,
            String target) {
        try {
            int shared = 0;
            int max = Math.min(previous.length(), path.length());
            while (shared < max && previous.charAt(shared) == path.charAt(shared)) {
                shared++;
            }
            out.writeByte(ManifestFormat.ENTRY);
            out.writeInt(shared);
            out.writeUTF(path.substring(shared));
            out.writeByte(type.ordinal());
            out.writeLong(size);
            out.writeLong(mtime);
            out.writeInt(mode);
            out.writeLong(hash);
            out.writeLong(uploadedAt);
            if (type == EntryType.FILE && size > 0) {
                out.writeUTF(blob == null ? "" : blob.key());
                out.writeLong(blob == null ? 0 : blob.offset());
            } else if (type == EntryType.SYMLINK) {
                out.writeUTF(target == null ? "" : target);
            }
            previous = path;
            count++;
            if (type == EntryType.FILE) {
                files++;
                bytes += size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the end marker; further writes are not allowed. Called by {@link #close()} if not yet done. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            out.writeByte(ManifestFormat.END);
            out.writeLong(count);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Finishes and closes the underlying stream. */
    @Override
    public void close() {
        try {
            finish();
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
