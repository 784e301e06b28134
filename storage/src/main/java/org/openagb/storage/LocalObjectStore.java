package org.openagb.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.openagb.storage.spi.BoundedInputStream;
import org.openagb.storage.spi.ObjectKeys;

/**
 * An {@link ObjectStore} in a local directory: object {@code a/b/c} is the file {@code <root>/objects/a/b/c}.
 * Writes go to a temporary file under {@code <root>/tmp} and are atomically moved into place, so readers never see
 * partial objects and a crash leaves at most stray temporary files under {@code <root>/tmp}.
 *
 * <p>Because objects are files, a key cannot be both an object and a prefix of another object's key followed by
 * {@code '/'} (e.g. {@code a} and {@code a/b}); such a put fails with a {@link StorageException}. The keys OpenAGB
 * itself writes never collide this way.
 *
 * <p>Thread-safe; several processes may share a root.
 */
public final class LocalObjectStore implements ObjectStore {
    private final Path objects;
    private final Path tmp;

    /**
     * Opens (creating if needed) a store rooted at {@code root}.
     *
     * @throws StorageException if the directories cannot be created
     */
    public LocalObjectStore(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        this.objects = abs.resolve("objects");
        this.tmp = abs.resolve("tmp");
        try {
            Files.createDirectories(objects);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new StorageException(
                    "Cannot open object store '" + abs + "': " + e + " (check that the directory is writable)", e);
        }
    }

    private Path file(String verb, String key) {
        ObjectKeys.validate(verb, key);
        return objects.resolve(key);
    }

    @Override
    public void put(String key, InputStream data, long length) {
        Path target = file("put", key);
        if (length < 0) {
            throw new StorageException(
                    "Cannot put object '" + key + "': length (" + length + ") must be >= 0 (pass the byte count)");
        }
        Path temp = tmp.resolve(UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
                long copied = copy(data, out, length);
                if (copied != length || data.read() != -1) {
                    throw new StorageException("Cannot put object '" + key + "': the stream held "
                            + (copied != length ? copied + " bytes" : "more bytes") + " but length was " + length
                            + " (pass the exact length of the data)");
                }
            }
            createParents(key, target.getParent());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StorageException(
                    "Cannot put object '" + key + "': " + e + " (check the store directory and disk space)", e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: a stray temp file is harmless
            }
        }
    }

    @Override
    public ObjectWriter create(String key) {
        Path target = file("create", key);
        Path temp = tmp.resolve(UUID.randomUUID() + ".tmp");
        OutputStream out;
        try {
            out = new java.io.BufferedOutputStream(
                    Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024);
        } catch (IOException e) {
            throw new StorageException(
                    "Cannot create object '" + key + "': " + e + " (check the store directory and disk space)", e);
        }
        return new LocalWriter(key, target, temp, out);
    }

    /** Writes to a temporary file under {@code <root>/tmp}; commit moves it into place atomically. */
    private final class LocalWriter extends ObjectWriter {
        private final String key;
        private final Path target;
        private final Path temp;
        private final OutputStream out;
        private long size;
        private boolean done;

        LocalWriter(String key, Path target, Path temp, OutputStream out) {
            this.key = key;
            this.target = target;
            this.temp = temp;
            this.out = out;
        }

        private void checkOpen() throws IOException {
            if (done) {
                throw new IOException("Cannot write object '" + key + "': the writer was already committed or aborted");
            }
        }

        @Override
        public void write(int b) throws IOException {
            checkOpen();
            out.write(b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            checkOpen();
            out.write(b, off, len);
            size += len;
        }

        @Override
        public void flush() throws IOException {
            checkOpen();
            out.flush();
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void commit() {
            if (done) {
                throw new StorageException("Cannot commit object '" + key
                        + "': the writer was already committed or aborted (call commit() once)");
            }
            done = true;
            try {
                out.close();
                createParents(key, target.getParent());
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new StorageException(
                        "Cannot put object '" + key + "': " + e + " (check the store directory and disk space)", e);
            } finally {
                deleteTemp();
            }
        }

        @Override
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            closeQuietly(out);
            deleteTemp();
        }

        private void deleteTemp() {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: a stray temp file is harmless
            }
        }
    }

    private void createParents(String key, Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw new StorageException("Cannot put object '" + key
                    + "': a parent of the key is itself an object (use keys that are not prefixes of each other)");
        }
    }

    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        while (total < limit) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    @Override
    public InputStream get(String key) {
        Path f = file("read", key);
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new ObjectNotFoundException(key);
            }
            return Files.newInputStream(f);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new StorageException("Cannot read object '" + key + "': " + e + " (check the store directory)", e);
        }
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        Path f = file("read", key);
        SeekableByteChannel ch = null;
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new ObjectNotFoundException(key);
            }
            ch = Files.newByteChannel(f, StandardOpenOption.READ);
            ObjectKeys.validateRange(key, offset, length, ch.size());
            ch.position(offset);
            return new BoundedInputStream(Channels.newInputStream(ch), length);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StorageException("Cannot read object '" + key + "': " + e + " (check the store directory)", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing
            }
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Path f = file("stat", key);
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(
                    new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant()));
        } catch (java.nio.file.FileSystemException e) {
            return Optional.empty(); // missing, or a parent is an object
        } catch (IOException e) {
            throw new StorageException("Cannot stat object '" + key + "': " + e + " (check the store directory)", e);
        }
    }

    @Override
    public void delete(String key) {
        Path f = file("delete", key);
        try {
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(f);
                pruneEmptyParents(f.getParent());
            }
        } catch (IOException e) {
            throw new StorageException("Cannot delete object '" + key + "': " + e + " (check the store directory)", e);
        }
    }

    private void pruneEmptyParents(Path dir) {
        while (dir != null && !dir.equals(objects) && dir.startsWith(objects)) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                return; // best effort
            }
            dir = dir.getParent();
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKeys.validatePrefix(prefix);
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? objects : objects.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<ObjectInfo> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(start)) {
            walk.forEach(p -> {
                String key = toKey(p);
                if (key.startsWith(prefix)) {
                    try {
                        BasicFileAttributes a =
                                Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        if (a.isRegularFile()) {
                            out.add(new ObjectInfo(
                                    key, a.size(), a.lastModifiedTime().toInstant()));
                        }
                    } catch (IOException e) {
                        // deleted concurrently: not listed
                    }
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new StorageException(
                    "Cannot list objects with prefix '" + prefix + "': " + e + " (check the store directory)", e);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    private String toKey(Path p) {
        Path rel = objects.relativize(p);
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "LocalObjectStore[" + objects.getParent() + "]";
    }
}
