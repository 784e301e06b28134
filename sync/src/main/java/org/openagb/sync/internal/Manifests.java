package org.openagb.sync.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.openagb.model.UploadMode;
import org.openagb.storage.ObjectStore;
import org.openagb.storage.StorageException;
import org.openagb.sync.CommitConflictException;
import org.openagb.sync.ContextHeads;
import org.openagb.sync.Head;
import org.openagb.sync.ModeLockedException;
import org.openagb.sync.SyncException;
import org.openagb.sync.SyncOptions;
import org.openagb.sync.VersionStats;

/** Reading, storing and committing manifests: the only place that moves a context's head. */
public final class Manifests {
    private final ObjectStore store;
    private final ContextHeads heads;
    private final SyncOptions options;

    public Manifests(ObjectStore store, ContextHeads heads, SyncOptions options) {
        this.store = store;
        this.heads = heads;
        this.options = options;
    }

    public static String manifestPrefix(String contextId) {
        return "manifests/" + contextId + "/";
    }

    public static String blobPrefix(String contextId) {
        return "blobs/" + contextId + "/";
    }

    public Head head(String contextId) {
        return heads.head(contextId);
    }

    /** These manifests as they were at {@code head} of {@code contextId}, read-only (commits are refused). */
    public Manifests pinned(String contextId, Head head) {
        return new Manifests(store, new PinnedHeads(heads, contextId, head), options);
    }

    /** Where heads and their versions are kept. */
    public ContextHeads heads() {
        return heads;
    }

    /** Opens the manifest of a head (empty for a head without one). */
    public ManifestReader open(Head head) {
        if (head.manifestKey() == null) {
            return ManifestReader.empty();
        }
        try {
            return ManifestReader.open(store.get(head.manifestKey()), head.manifestKey());
        } catch (StorageException e) {
            throw new SyncException(
                    "Cannot read manifest '" + head.manifestKey() + "' of generation " + head.generation() + ": "
                            + e.getMessage() + " (the object store lost it; restore it from backup)",
                    e);
        }
    }

    /** A new temporary file for spooling a manifest; the caller deletes it. */
    public Path tempFile(String what) {
        try {
            Files.createDirectories(options.tempDir());
            return Files.createTempFile(options.tempDir(), "openagb-" + what + "-", ".tmp");
        } catch (IOException e) {
            throw new SyncException(
                    "Cannot create a temporary file in '" + options.tempDir() + "': " + e
                            + " (check SyncOptions.tempDir and disk space)",
                    e);
        }
    }

    public static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // temp file: harmless
            }
        }
    }

    /** Writes the new manifest of a commit attempt; returns whether anything changed. Must be repeatable. */
    @FunctionalInterface
    public interface Rewrite {
        boolean apply(ManifestReader current, ManifestWriter next);
    }

    /** A commit's outcome: the head now current and how many attempts it took (0 = nothing to commit). */
    public record Committed(Head head, int attempts) {}

    /**
     * Commits a rewrite of the context's manifest with compare-and-set, re-running the rewrite against the new
     * head when another commit wins, up to {@link SyncOptions#maxCommitAttempts()} times.
     *
     * @throws CommitConflictException if every attempt lost the race
     */
    public Committed commit(String contextId, Rewrite rewrite) {
        return commit(contextId, null, null, rewrite);
    }

    /**
     * {@link #commit(String, Rewrite)} by a sync upload in {@code mode}: every attempt first checks that the head is
     * not locked to the other mode, and the commit locks an unlocked head to {@code mode} (null: no claim, the
     * head's mode is carried forward). {@code path} names the upload in the error.
     *
     * @throws ModeLockedException if the head is locked to the other mode
     */
    public Committed commit(String contextId, UploadMode mode, String path, Rewrite rewrite) {
        for (int attempt = 1; attempt <= options.maxCommitAttempts(); attempt++) {
            Head head = heads.head(contextId);
            requireMode(contextId, path, mode, head);
            Path temp = tempFile("manifest");
            try {
                boolean changed;
                long entries;
                VersionStats stats;
                try (ManifestReader current = open(head);
                        ManifestWriter next = ManifestWriter.create(temp)) {
                    changed = rewrite.apply(current, next);
                    entries = next.count();
                    stats = new VersionStats(next.files(), next.bytes());
                }
                if (!changed) {
                    return new Committed(head, 0);
                }
                long generation = head.generation() + 1;
                String key = null;
                if (entries > 0) {
                    key = manifestPrefix(contextId) + generation + "-" + UUID.randomUUID();
                    put(key, temp);
                }
                Head next = new Head(generation, key, head.mode() != null ? head.mode() : mode);
                if (heads.compareAndSet(contextId, head.generation(), next, stats)) {
                    return new Committed(next, attempt);
                }
                if (key != null) {
                    store.delete(key);
                }
            } finally {
                deleteQuietly(temp);
            }
        }
        throw new CommitConflictException(contextId, options.maxCommitAttempts());
    }

    /** Throws if {@code head} is locked to a mode other than {@code mode} (null: any mode will do). */
    public static void requireMode(String contextId, String path, UploadMode mode, Head head) {
        if (mode != null && head.mode() != null && head.mode() != mode) {
            throw new ModeLockedException(contextId, path, mode, head.mode());
        }
    }

    private void put(String key, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            store.put(key, in, Files.size(file));
        } catch (IOException e) {
            throw new SyncException("Cannot store manifest '" + key + "': " + e + " (check the temp dir)", e);
        }
    }
}
