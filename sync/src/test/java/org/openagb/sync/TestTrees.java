package org.openagb.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.openagb.storage.ObjectStore;

/** Helpers for building and describing host trees in tests. */
final class TestTrees {
    private TestTrees() {}

    static Path write(Path root, String rel, String content, long mtimeMillis, String perms) {
        return write(root, rel, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), mtimeMillis, perms);
    }

    static Path write(Path root, String rel, byte[] content, long mtimeMillis, String perms) {
        try {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.write(p, content);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
            Files.setLastModifiedTime(p, FileTime.fromMillis(mtimeMillis));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path root, String rel, String content) {
        return write(root, rel, content, 1_600_000_000_000L, "rw-r--r--");
    }

    /**
     * Waits until the kernel's file clock (coarse: it ticks every few ms) has moved past every change made so far,
     * so that a sync started now sees those changes as older than its own start (ctime checks, see Uploader).
     */
    static void nextClockTick(Path scratch) {
        try {
            Files.createDirectories(scratch);
            Path first = Files.createTempFile(scratch, "tick", "");
            FileTime start = (FileTime) Files.getAttribute(first, "unix:ctime");
            Files.delete(first);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline) {
                Path probe = Files.createTempFile(scratch, "tick", "");
                FileTime now = (FileTime) Files.getAttribute(probe, "unix:ctime");
                Files.delete(probe);
                if (now.compareTo(start) > 0) {
                    return;
                }
                Thread.onSpinWait();
            }
            throw new IllegalStateException("the file clock did not advance in 5 s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** rel path -> description of type, size, mode, mtime (files and dirs) and content or target. */
    static Map<String, String> describe(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(p -> {
                try {
                    PosixFileAttributes a =
                            Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    String rel = root.relativize(p).toString();
                    String perms = PosixFilePermissions.toString(a.permissions());
                    if (a.isSymbolicLink()) {
                        out.put(rel, "L " + Files.readSymbolicLink(p));
                    } else if (a.isDirectory()) {
                        out.put(rel, "D " + perms + " " + a.lastModifiedTime().toMillis());
                    } else {
                        out.put(
                                rel,
                                "F " + perms + " " + a.lastModifiedTime().toMillis() + " " + a.size() + " "
                                        + java.util.Arrays.hashCode(Files.readAllBytes(p)));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An ObjectStore that passes every call on; override what a test must intercept. */
    static class ForwardingStore implements ObjectStore {
        final ObjectStore delegate;

        ForwardingStore(ObjectStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void put(String key, InputStream data, long length) {
            delegate.put(key, data, length);
        }

        @Override
        public org.openagb.storage.ObjectWriter create(String key) {
            return delegate.create(key);
        }

        @Override
        public InputStream get(String key) {
            return delegate.get(key);
        }

        @Override
        public InputStream get(String key, long offset, long length) {
            return delegate.get(key, offset, length);
        }

        @Override
        public java.util.Optional<org.openagb.storage.ObjectInfo> stat(String key) {
            return delegate.stat(key);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }

        @Override
        public java.util.List<org.openagb.storage.ObjectInfo> list(String prefix) {
            return delegate.list(prefix);
        }
    }

    /** An ObjectStore wrapper that counts puts and can run a hook before each put. */
    static final class CountingStore extends ForwardingStore {
        final AtomicInteger blobPuts = new AtomicInteger();
        final AtomicInteger manifestPuts = new AtomicInteger();
        volatile BiConsumer<String, Long> beforePut = (k, l) -> {};

        CountingStore(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public void put(String key, InputStream data, long length) {
            beforePut.accept(key, length);
            (key.startsWith("blobs/") ? blobPuts : manifestPuts).incrementAndGet();
            delegate.put(key, data, length);
        }

        @Override
        public org.openagb.storage.ObjectWriter create(String key) {
            (key.startsWith("blobs/") ? blobPuts : manifestPuts).incrementAndGet();
            return delegate.create(key);
        }
    }
}
