package org.openagb.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.openagb.storage.spi.ObjectKeys;

/**
 * A strict in-memory {@link ObjectStore} for tests and embedding. State is per instance. It validates keys and
 * lengths exactly like {@link LocalObjectStore}, and counts the streams it handed out that are still open, so
 * tests can check that nothing leaks ({@link #assertNoOpenStreams()}).
 *
 * <p>Objects are limited to {@link Integer#MAX_VALUE} - 8 bytes. Thread-safe.
 */
public final class InMemoryObjectStore implements ObjectStore {
    private record Stored(byte[] data, Instant modified) {}

    private final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final AtomicInteger openWriters = new AtomicInteger();
    private final Clock clock;

    /** A store whose objects' {@code lastModified} comes from the system clock. */
    public InMemoryObjectStore() {
        this(Clock.systemUTC());
    }

    /** A store whose objects' {@code lastModified} comes from {@code clock}. */
    public InMemoryObjectStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void put(String key, InputStream data, long length) {
        ObjectKeys.validate("put", key);
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new StorageException("Cannot put object '" + key + "': length (" + length + ") must be between 0 and "
                    + (Integer.MAX_VALUE - 8) + " (use LocalObjectStore for big data)");
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream((int) Math.min(length, 1 << 20));
        try {
            byte[] chunk = new byte[64 * 1024];
            long total = 0;
            while (total < length) {
                int n = data.read(chunk, 0, (int) Math.min(chunk.length, length - total));
                if (n < 0) {
                    break;
                }
                buf.write(chunk, 0, n);
                total += n;
            }
            if (total != length || data.read() != -1) {
                throw new StorageException("Cannot put object '" + key + "': the stream held "
                        + (total != length ? total + " bytes" : "more bytes") + " but length was " + length
                        + " (pass the exact length of the data)");
            }
        } catch (IOException e) {
            throw new StorageException("Cannot put object '" + key + "': " + e + " (check the input stream)", e);
        }
        objects.put(key, new Stored(buf.toByteArray(), clock.instant()));
    }

    @Override
    public ObjectWriter create(String key) {
        ObjectKeys.validate("create", key);
        openWriters.incrementAndGet();
        return new ObjectWriter() {
            private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
            private boolean done;

            private void check(int more) throws IOException {
                if (done) {
                    throw new IOException(
                            "Cannot write object '" + key + "': the writer was already committed or aborted");
                }
                if ((long) buf.size() + more > Integer.MAX_VALUE - 8) {
                    throw new IOException("Cannot write object '" + key + "': more than " + (Integer.MAX_VALUE - 8)
                            + " bytes (use LocalObjectStore for big data)");
                }
            }

            @Override
            public void write(int b) throws IOException {
                check(1);
                buf.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                check(len);
                buf.write(b, off, len);
            }

            @Override
            public String key() {
                return key;
            }

            @Override
            public long size() {
                return buf.size();
            }

            @Override
            public void commit() {
                if (done) {
                    throw new StorageException("Cannot commit object '" + key
                            + "': the writer was already committed or aborted (call commit() once)");
                }
                done = true;
                openWriters.decrementAndGet();
                objects.put(key, new Stored(buf.toByteArray(), clock.instant()));
            }

            @Override
            public void abort() {
                if (!done) {
                    done = true;
                    openWriters.decrementAndGet();
                }
            }
        };
    }

    @Override
    public InputStream get(String key) {
        ObjectKeys.validate("read", key);
        Stored s = objects.get(key);
        if (s == null) {
            throw new ObjectNotFoundException(key);
        }
        return track(new ByteArrayInputStream(s.data));
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        ObjectKeys.validate("read", key);
        Stored s = objects.get(key);
        if (s == null) {
            throw new ObjectNotFoundException(key);
        }
        ObjectKeys.validateRange(key, offset, length, s.data.length);
        return track(new ByteArrayInputStream(s.data, (int) offset, (int) length));
    }

    private InputStream track(InputStream in) {
        openStreams.incrementAndGet();
        return new FilterInputStream(in) {
            private boolean closed;

            @Override
            public synchronized void close() throws IOException {
                if (!closed) {
                    closed = true;
                    openStreams.decrementAndGet();
                }
                super.close();
            }
        };
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        ObjectKeys.validate("stat", key);
        Stored s = objects.get(key);
        return s == null ? Optional.empty() : Optional.of(new ObjectInfo(key, s.data.length, s.modified));
    }

    @Override
    public void delete(String key) {
        ObjectKeys.validate("delete", key);
        objects.remove(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKeys.validatePrefix(prefix);
        List<ObjectInfo> out = new ArrayList<>();
        for (Map.Entry<String, Stored> e : objects.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.add(new ObjectInfo(e.getKey(), e.getValue().data.length, e.getValue().modified));
        }
        return out;
    }

    /** Number of streams returned by {@code get} and not yet closed. */
    public int openStreams() {
        return openStreams.get();
    }

    /** Number of writers returned by {@code create} that were neither committed nor aborted. */
    public int openWriters() {
        return openWriters.get();
    }

    /**
     * Fails if a stream returned by {@code get} was not closed, or a writer returned by {@code create} was neither
     * committed nor aborted.
     *
     * @throws IllegalStateException naming the number of leaked streams
     */
    public void assertNoOpenStreams() {
        int n = openStreams.get();
        if (n != 0) {
            throw new IllegalStateException(n + " stream(s) returned by get() were not closed (close every stream)");
        }
        int w = openWriters.get();
        if (w != 0) {
            throw new IllegalStateException(
                    w + " writer(s) returned by create() were neither committed nor aborted (close every writer)");
        }
    }

    @Override
    public String toString() {
        return "InMemoryObjectStore[" + objects.size() + " objects]";
    }
}
