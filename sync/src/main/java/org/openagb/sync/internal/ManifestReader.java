package org.openagb.sync.internal;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.openagb.sync.BlobRef;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.EntryType;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.SyncException;

/**
 * Streams the entries of a manifest, validating each entry, their order and the end marker. Any problem is a
 * {@link SyncException} naming the manifest. Not thread-safe; close it.
 */
public final class ManifestReader implements Iterator<ManifestEntry>, AutoCloseable {
    private final String name;
    private final DataInputStream in;
    private String previous = "";
    private long count;
    private ManifestEntry next;
    private boolean done;

    private ManifestReader(String name, DataInputStream in) {
        this.name = name;
        this.in = in;
        this.done = in == null;
    }

    /** A reader of no entries. */
    public static ManifestReader empty() {
        return new ManifestReader("(empty)", null);
    }

    /** Reads a manifest from a stream, which the reader closes. */
    public static ManifestReader open(InputStream raw, String name) {
        try {
            byte[] magic = raw.readNBytes(4);
            if (!Arrays.equals(magic, ManifestFormat.MAGIC)) {
                throw corrupt(name, "it does not start with the manifest magic", null);
            }
            int version = new DataInputStream(raw).readInt();
            if (version != ManifestFormat.VERSION) {
                throw corrupt(
                        name,
                        "format version " + version + " is not supported (expected " + ManifestFormat.VERSION
                                + "; upgrade OpenAGB)",
                        null);
            }
            return new ManifestReader(
                    name, new DataInputStream(new BufferedInputStream(new ZstdInputStream(raw), 64 * 1024)));
        } catch (IOException e) {
            closeQuietly(raw);
            throw corrupt(name, e.toString(), e);
        } catch (RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    /** Reads a manifest file; a missing file reads as empty. */
    public static ManifestReader openFileOrEmpty(Path file) {
        try {
            return open(Files.newInputStream(file), file.toString());
        } catch (NoSuchFileException e) {
            return empty();
        } catch (IOException e) {
            throw new SyncException("Cannot read manifest '" + file + "': " + e + " (check the file)", e);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    private static SyncException corrupt(String name, String reason, Throwable cause) {
        return new SyncException(
                "Cannot read manifest '" + name + "': " + reason + " (the manifest is corrupt or not a manifest)",
                cause);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = readNext();
        }
        return next != null;
    }

    /** The next entry without consuming it, or null at the end. */
    public ManifestEntry peek() {
        return hasNext() ? next : null;
    }

    @Override
    public ManifestEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ManifestEntry e = next;
        next = null;
        return e;
    }

    private ManifestEntry readNext() {
        try {
            byte tag = in.readByte();
            if (tag == ManifestFormat.END) {
                long expected = in.readLong();
                if (expected != count) {
                    throw corrupt(name, "it declares " + expected + " entries but holds " + count, null);
                }
                done = true;
                return null;
            }
            if (tag != ManifestFormat.ENTRY) {
                throw corrupt(name, "unknown record tag " + tag, null);
            }
            int shared = in.readInt();
            if (shared < 0 || shared > previous.length()) {
                throw corrupt(name, "bad path prefix length " + shared, null);
            }
            String path = previous.substring(0, shared) + in.readUTF();
            int typeOrdinal = in.readByte();
            if (typeOrdinal < 0 || typeOrdinal >= EntryType.values().length) {
                throw corrupt(name, "unknown entry type " + typeOrdinal + " at '" + path + "'", null);
            }
            EntryType type = EntryType.values()[typeOrdinal];
            long size = in.readLong();
            long mtime = in.readLong();
            int mode = in.readInt();
            long hash = in.readLong();
            long uploadedAt = in.readLong();
            BlobRef blob = null;
            String target = null;
            if (type == EntryType.FILE && size > 0) {
                String key = in.readUTF();
                long offset = in.readLong();
                blob = new BlobRef(key, offset, size);
            } else if (type == EntryType.SYMLINK) {
                target = in.readUTF();
            }
            ManifestEntry e = new ManifestEntry(path, type, size, mtime, mode, hash, blob, target, uploadedAt);
            if (count > 0 && ContextPaths.compare(previous, path) >= 0) {
                throw corrupt(name, "entry '" + path + "' is out of order after '" + previous + "'", null);
            }
            previous = path;
            count++;
            return e;
        } catch (IllegalArgumentException e) {
            throw corrupt(name, "bad entry: " + e.getMessage(), e);
        } catch (IOException e) {
            throw corrupt(name, e instanceof java.io.EOFException ? "it is truncated" : e.toString(), e);
        }
    }

    @Override
    public void close() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // read-only stream
            }
        }
        done = true;
        next = null;
    }
}
