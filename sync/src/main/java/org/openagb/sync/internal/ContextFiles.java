package org.openagb.sync.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.openagb.model.UploadMode;
import org.openagb.storage.ObjectStore;
import org.openagb.storage.StorageException;
import org.openagb.sync.BlobRef;
import org.openagb.sync.ContextFile;
import org.openagb.sync.ContextFileNotFoundException;
import org.openagb.sync.ContextPaths;
import org.openagb.sync.EntryType;
import org.openagb.sync.Head;
import org.openagb.sync.ManifestEntry;
import org.openagb.sync.SyncException;

/** Single-path operations on a context's committed tree; every change is one compare-and-set commit. */
public final class ContextFiles {
    private final ObjectStore store;
    private final Manifests manifests;
    private final Clock clock;

    public ContextFiles(ObjectStore store, Manifests manifests, Clock clock) {
        this.store = store;
        this.manifests = manifests;
        this.clock = clock;
    }

    private static String path(String raw) {
        return ContextPaths.normalize(raw);
    }

    public ManifestEntry putFile(String contextId, String rawPath, InputStream data, long length) {
        return putFile(contextId, rawPath, data, length, null);
    }

    /** {@link #putFile(String, String, InputStream, long)} that claims {@code mode} for the context (null: none). */
    public ManifestEntry putFile(String contextId, String rawPath, InputStream data, long length, UploadMode mode) {
        String path = path(rawPath);
        if (mode != null) {
            Manifests.requireMode(contextId, path, mode, manifests.head(contextId));
        }
        if (path.equals("/") || path.endsWith(":/")) {
            throw new SyncException("Cannot put file '" + rawPath + "': it is the root (pass a file path)");
        }
        if (length < 0) {
            throw new SyncException("Cannot put file '" + path + "': length (" + length + ") must be >= 0");
        }
        long now = clock.millis();
        BlobRef blob = null;
        long hash = Hashing.EMPTY;
        if (length > 0) {
            String key = Manifests.blobPrefix(contextId) + UUID.randomUUID();
            try (Hashing.HashingInputStream in = new Hashing.HashingInputStream(data)) {
                store.put(key, in, length);
                hash = in.hash();
            } catch (IOException e) {
                throw new SyncException("Cannot put file '" + path + "': " + e + " (check the input stream)", e);
            } catch (StorageException e) {
                throw new SyncException("Cannot put file '" + path + "': " + e.getMessage(), e);
            }
            blob = new BlobRef(key, 0, length);
        }
        ManifestEntry entry = ManifestEntry.file(path, length, now, 0644, hash, blob, now);
        try {
            manifests.commit(contextId, mode, path, (r, out) -> {
                boolean written = false;
                while (r.hasNext()) {
                    ManifestEntry e = r.next();
                    if (e.path().equals(path)) {
                        if (e.type() == EntryType.DIRECTORY) {
                            throw new SyncException("Cannot put file '" + path + "': it is a folder in context '"
                                    + contextId + "' (delete the folder first or choose another name)");
                        }
                        continue; // replaced
                    }
                    if (ContextPaths.isUnder(path, e.path()) && e.type() != EntryType.DIRECTORY) {
                        throw new SyncException("Cannot put file '" + path + "': its parent '" + e.path()
                                + "' is a file in context '" + contextId + "' (delete it first)");
                    }
                    if (ContextPaths.isUnder(e.path(), path)) {
                        throw new SyncException("Cannot put file '" + path + "': it is a folder in context '"
                                + contextId + "' (delete the folder first or choose another name)");
                    }
                    if (!written && ContextPaths.compare(e.path(), path) > 0) {
                        out.write(entry);
                        written = true;
                    }
                    out.write(e);
                }
                if (!written) {
                    out.write(entry);
                }
                return true;
            });
        } catch (RuntimeException e) {
            if (blob != null) {
                store.delete(blob.objectKey());
            }
            throw e;
        }
        return entry;
    }

    public Optional<ManifestEntry> stat(String contextId, String rawPath) {
        String path = path(rawPath);
        try (ManifestReader r = manifests.open(manifests.head(contextId))) {
            while (r.hasNext()) {
                ManifestEntry e = r.next();
                int cmp = ContextPaths.compare(e.path(), path);
                if (cmp == 0) {
                    return Optional.of(e);
                }
                if (cmp > 0) {
                    break;
                }
            }
        }
        return Optional.empty();
    }

    public ContextFile openFile(String contextId, String rawPath) {
        ManifestEntry e =
                stat(contextId, rawPath).orElseThrow(() -> new ContextFileNotFoundException(contextId, path(rawPath)));
        if (e.type() != EntryType.FILE) {
            throw new SyncException("Cannot open file '" + e.path() + "' of context '" + contextId + "': it is a "
                    + e.type().name().toLowerCase() + " (open a file)");
        }
        InputStream raw = e.blob() == null
                ? InputStream.nullInputStream()
                : store.get(e.blob().objectKey(), e.blob().offset(), e.blob().length());
        return new ContextFile(e, new Hashing.VerifyingInputStream(raw, e.hash(), e.size(), "file '" + e.path() + "'"));
    }

    public void deleteFile(String contextId, String rawPath) {
        String path = path(rawPath);
        manifests.commit(contextId, (r, out) -> {
            boolean removed = false;
            while (r.hasNext()) {
                ManifestEntry e = r.next();
                if (ContextPaths.isUnderOrEqual(e.path(), path)) {
                    removed = true;
                } else {
                    out.write(e);
                }
            }
            if (!removed) {
                throw new ContextFileNotFoundException(contextId, path);
            }
            return true;
        });
    }

    /**
     * Removes every entry matching {@code remove} in one compare-and-set commit; the predicate is re-evaluated
     * against the new head on every retry. A matching directory is kept while anything below it is kept. Returns
     * how many entries the winning commit removed (0: nothing committed).
     */
    public long removeEntries(String contextId, Predicate<ManifestEntry> remove) {
        long[] removed = new long[1];
        manifests.commit(contextId, (current, next) -> {
            long n = 0;
            // matching directories not yet written, each an ancestor of the next (a chain along the current path)
            Deque<ManifestEntry> held = new ArrayDeque<>();
            while (current.hasNext()) {
                ManifestEntry e = current.next();
                while (!held.isEmpty()
                        && !ContextPaths.isUnder(e.path(), held.peekLast().path())) {
                    held.removeLast(); // nothing below it survived
                    n++;
                }
                if (remove.test(e)) {
                    if (e.type() == EntryType.DIRECTORY) {
                        held.addLast(e);
                    } else {
                        n++;
                    }
                } else {
                    for (ManifestEntry ancestor : held) {
                        next.write(ancestor); // something below survives: keep the explicit directory
                    }
                    held.clear();
                    next.write(e);
                }
            }
            n += held.size();
            removed[0] = n;
            return n > 0;
        });
        return removed[0];
    }

    public List<ManifestEntry> listChildren(String contextId, String rawParent) {
        String parent = path(rawParent);
        List<ManifestEntry> out = new ArrayList<>();
        String lastName = null;
        try (ManifestReader r = manifests.open(manifests.head(contextId))) {
            while (r.hasNext()) {
                ManifestEntry e = r.next();
                if (ContextPaths.isUnder(e.path(), parent)) {
                    String rel = ContextPaths.relativize(e.path(), parent);
                    int slash = rel.indexOf('/');
                    String name = slash < 0 ? rel : rel.substring(0, slash);
                    if (name.equals(lastName)) {
                        continue;
                    }
                    lastName = name;
                    out.add(slash < 0 ? e : ManifestEntry.directory(ContextPaths.child(parent, name), 0, 0755, 0));
                } else if (ContextPaths.compare(e.path(), parent) > 0) {
                    break;
                }
            }
        }
        return out;
    }

    public long forEachEntry(String contextId, Consumer<ManifestEntry> consumer) {
        long n = 0;
        try (ManifestReader r = manifests.open(manifests.head(contextId))) {
            while (r.hasNext()) {
                consumer.accept(r.next());
                n++;
            }
        }
        return n;
    }

    public Head clear(String contextId) {
        return manifests.commit(contextId, (r, out) -> r.hasNext()).head();
    }

    public int deleteAllData(String contextId) {
        int n = 0;
        for (String prefix : List.of(Manifests.manifestPrefix(contextId), Manifests.blobPrefix(contextId))) {
            for (var info : store.list(prefix)) {
                store.delete(info.key());
                n++;
            }
        }
        return n;
    }
}
