package org.openagb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link ObjectStore} must have. Subclass it and implement {@link #newStore()}; the subclass
 * may use {@code @TempDir} fields. Exported in the test-jar so that other implementations (S3) reuse it.
 */
public abstract class ObjectStoreContract {

    /** Returns a new, empty store. Called before each test. */
    protected abstract ObjectStore newStore();

    protected ObjectStore store;

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected void put(String key, byte[] data) {
        store.put(key, new ByteArrayInputStream(data), data.length);
    }

    protected static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void put_thenGet_returnsSameBytes() {
        put("blobs/ctx/a", bytes("hello"));

        assertThat(readAll(store.get("blobs/ctx/a"))).isEqualTo(bytes("hello"));
    }

    @Test
    void put_emptyObject_isStoredWithSizeZero() {
        put("e", new byte[0]);

        assertThat(readAll(store.get("e"))).isEmpty();
        assertThat(store.stat("e")).hasValueSatisfying(i -> assertThat(i.size()).isZero());
    }

    @Test
    void put_existingKey_overwrites() {
        put("k", bytes("one"));
        put("k", bytes("second"));

        assertThat(readAll(store.get("k"))).isEqualTo(bytes("second"));
        assertThat(store.stat("k")).hasValueSatisfying(i -> assertThat(i.size()).isEqualTo(6));
    }

    @Test
    void put_streamShorterThanLength_failsAndStoresNothing() {
        assertThatThrownBy(() -> store.put("k", new ByteArrayInputStream(bytes("abc")), 5))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot put object 'k'")
                .hasMessageContaining("3 bytes");
        assertThat(store.stat("k")).isEmpty();
    }

    @Test
    void put_streamLongerThanLength_failsAndStoresNothing() {
        assertThatThrownBy(() -> store.put("k", new ByteArrayInputStream(bytes("abcdef")), 2))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot put object 'k'")
                .hasMessageContaining("more bytes");
        assertThat(store.stat("k")).isEmpty();
    }

    @Test
    void put_largeObject_streamsAndReadsBack() {
        int size = 5 * 1024 * 1024 + 17;
        byte[] data = new byte[size];
        new Random(42).nextBytes(data);
        put("big/object", data);

        assertThat(readAll(store.get("big/object"))).isEqualTo(data);
        assertThat(readAll(store.get("big/object", 3_000_000, 1000)))
                .isEqualTo(java.util.Arrays.copyOfRange(data, 3_000_000, 3_001_000));
    }

    @Test
    void get_missingKey_throwsObjectNotFound() {
        assertThatThrownBy(() -> store.get("nope/x"))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining("Cannot read object 'nope/x': no such object");
        assertThatThrownBy(() -> store.get("nope/x", 0, 1)).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void getRange_returnsExactlyTheRange() {
        put("r", bytes("0123456789"));

        assertThat(readAll(store.get("r", 2, 5))).isEqualTo(bytes("23456"));
        assertThat(readAll(store.get("r", 0, 10))).isEqualTo(bytes("0123456789"));
        assertThat(readAll(store.get("r", 10, 0))).isEmpty();
    }

    @Test
    void getRange_pastTheEnd_throwsNamingTheRange() {
        put("r", bytes("0123456789"));

        assertThatThrownBy(() -> store.get("r", 8, 5))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot read object 'r' range [8, +5): the object has 10 bytes");
        assertThatThrownBy(() -> store.get("r", -1, 1)).isInstanceOf(StorageException.class);
    }

    @Test
    void stat_presentAndAbsent() {
        put("a/b", bytes("xyz"));

        assertThat(store.stat("a/b")).hasValueSatisfying(i -> {
            assertThat(i.key()).isEqualTo("a/b");
            assertThat(i.size()).isEqualTo(3);
            assertThat(i.lastModified()).isNotNull();
        });
        assertThat(store.stat("a/c")).isEmpty();
        assertThat(store.stat("a")).isEmpty();
        assertThat(store.exists("a/b")).isTrue();
    }

    @Test
    void delete_removesObject_andMissingKeyIsNoError() {
        put("d/x", bytes("1"));

        store.delete("d/x");
        store.delete("d/x");
        store.delete("never/was");

        assertThat(store.stat("d/x")).isEmpty();
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void list_returnsObjectsWithStringPrefix_sortedByKey() {
        put("blobs/c2/z", bytes("1"));
        put("blobs/c1/b", bytes("22"));
        put("blobs/c1/a", bytes("333"));
        put("blobs/c10/a", bytes("4"));
        put("manifests/c1/1-x", bytes("5"));

        assertThat(store.list("blobs/c1/")).extracting(ObjectInfo::key).containsExactly("blobs/c1/a", "blobs/c1/b");
        assertThat(store.list("blobs/c1"))
                .extracting(ObjectInfo::key)
                .containsExactly("blobs/c1/a", "blobs/c1/b", "blobs/c10/a");
        assertThat(store.list(""))
                .extracting(ObjectInfo::key)
                .containsExactly("blobs/c1/a", "blobs/c1/b", "blobs/c10/a", "blobs/c2/z", "manifests/c1/1-x");
        assertThat(store.list("blobs/c1/a"))
                .singleElement()
                .satisfies(i -> assertThat(i.size()).isEqualTo(3));
        assertThat(store.list("other/")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "a/../b", "..", "a//b", "a\\b", "a\0b", "a/", "./a", "a/./b"})
    void invalidKey_isRejectedEverywhereWithMessage(String key) {
        assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(new byte[0]), 0))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("Cannot put object '")
                .hasMessageContaining("(use a relative '/'-separated key");
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.stat(key)).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(StorageException.class);
    }

    @Test
    void list_invalidPrefix_isRejected() {
        assertThatThrownBy(() -> store.list("../x"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot list objects with prefix '../x'");
    }

    @Test
    void concurrentPuts_toDistinctAndSameKeys_allVisibleAndWhole() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    byte[] data = new byte[1000 + n];
                    java.util.Arrays.fill(data, (byte) n);
                    put("c/k" + n, data);
                    put("c/shared", data);
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(store.list("c/k")).hasSize(64);
        byte[] shared = readAll(store.get("c/shared"));
        byte first = shared[0];
        assertThat(shared).hasSize(1000 + first);
        for (byte b : shared) {
            assertThat(b).isEqualTo(first);
        }
    }

    @Test
    void create_commit_makesTheStreamedObjectVisible() throws Exception {
        try (ObjectWriter w = store.create("s/a")) {
            w.write(bytes("hel"));
            w.write('l');
            w.write(bytes("xxoxx"), 2, 1);
            assertThat(w.size()).isEqualTo(5);
            assertThat(w.key()).isEqualTo("s/a");
            w.commit();
        }

        assertThat(readAll(store.get("s/a"))).isEqualTo(bytes("hello"));
        assertThat(store.stat("s/a"))
                .hasValueSatisfying(i -> assertThat(i.size()).isEqualTo(5));
    }

    @Test
    void create_isInvisibleUntilCommit_andReplacesAtomically() throws Exception {
        put("s/a", bytes("old"));
        ObjectWriter w = store.create("s/a");
        w.write(bytes("new content"));
        w.flush();

        assertThat(readAll(store.get("s/a"))).isEqualTo(bytes("old"));
        assertThat(store.list("s/"))
                .singleElement()
                .satisfies(i -> assertThat(i.size()).isEqualTo(3));
        w.commit();
        assertThat(readAll(store.get("s/a"))).isEqualTo(bytes("new content"));
    }

    @Test
    void create_abort_storesNothingAndKeepsTheOldObject() throws Exception {
        put("s/old", bytes("keep"));
        ObjectWriter w = store.create("s/old");
        w.write(bytes("discard me"));
        w.abort();
        w.abort();
        w.close();
        ObjectWriter w2 = store.create("s/new");
        w2.write(bytes("x"));
        w2.abort();

        assertThat(readAll(store.get("s/old"))).isEqualTo(bytes("keep"));
        assertThat(store.stat("s/new")).isEmpty();
    }

    @Test
    void create_closeWithoutCommit_discards() throws Exception {
        try (ObjectWriter w = store.create("s/c")) {
            w.write(bytes("partial"));
        }

        assertThat(store.stat("s/c")).isEmpty();
    }

    @Test
    void create_emptyObject_canBeCommitted() {
        try (ObjectWriter w = store.create("s/empty")) {
            w.commit();
        }

        assertThat(store.stat("s/empty"))
                .hasValueSatisfying(i -> assertThat(i.size()).isZero());
    }

    @Test
    void create_writeOrCommitAfterCommit_fails() throws Exception {
        ObjectWriter w = store.create("s/w");
        w.write(1);
        w.commit();
        w.close();

        assertThatThrownBy(() -> w.write(2)).isInstanceOf(IOException.class).hasMessageContaining("s/w");
        assertThatThrownBy(w::commit).isInstanceOf(StorageException.class).hasMessageContaining("already");
        assertThat(readAll(store.get("s/w"))).containsExactly(1);
    }

    @Test
    void create_largeStreamedObject_readsBack() throws Exception {
        byte[] chunk = new byte[100_003];
        new Random(7).nextBytes(chunk);
        try (ObjectWriter w = store.create("big/streamed")) {
            for (int i = 0; i < 60; i++) {
                w.write(chunk);
            }
            w.commit();
        }

        assertThat(store.stat("big/streamed"))
                .hasValueSatisfying(i -> assertThat(i.size()).isEqualTo(6_000_180));
        assertThat(readAll(store.get("big/streamed", 100_003L * 59, 100_003))).isEqualTo(chunk);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "a/../b", "a\\b", "a\0b", "a/"})
    void create_invalidKey_isRejected(String key) {
        assertThatThrownBy(() -> store.create(key))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("Cannot create object '");
    }
}
