package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.storage.InMemoryObjectStore;

class RemoveEntriesTest {
    static final String CTX = "ctx";

    @TempDir
    Path tmp;

    InMemoryObjectStore store;
    HookedHeads heads;
    SyncEngine engine;

    /** Heads that can run a hook (once) just before a compare-and-set. */
    static final class HookedHeads implements ContextHeads {
        final InMemoryContextHeads delegate = new InMemoryContextHeads();
        volatile Runnable beforeCas;
        final AtomicInteger casCalls = new AtomicInteger();

        @Override
        public Head head(String contextId) {
            return delegate.head(contextId);
        }

        @Override
        public boolean compareAndSet(String contextId, long expectedGeneration, Head next, VersionStats stats) {
            casCalls.incrementAndGet();
            Runnable hook = beforeCas;
            if (hook != null) {
                beforeCas = null;
                hook.run();
            }
            return delegate.compareAndSet(contextId, expectedGeneration, next, stats);
        }

        @Override
        public java.util.List<ContextVersion> versions(String contextId) {
            return delegate.versions(contextId);
        }

        @Override
        public int forgetVersions(String contextId, java.util.Collection<Long> generations) {
            return delegate.forgetVersions(contextId, generations);
        }
    }

    @BeforeEach
    void setUp() {
        store = new InMemoryObjectStore();
        heads = new HookedHeads();
        engine = SyncEngine.create(
                store,
                heads,
                Clock.fixed(Instant.ofEpochMilli(5000), ZoneOffset.UTC),
                SyncOptions.defaults().withTempDir(tmp.resolve("scratch")));
    }

    @AfterEach
    void tearDown() {
        engine.close();
        store.assertNoOpenStreams();
    }

    void put(String path, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        engine.putFile(CTX, path, new ByteArrayInputStream(b), b.length);
    }

    List<String> paths() {
        List<String> out = new ArrayList<>();
        engine.forEachEntry(CTX, e -> out.add(e.path() + (e.type() == EntryType.DIRECTORY ? "/" : "")));
        return out;
    }

    /** Uploads a tree with explicit directories: /m/a/{x,y}, /m/a/sub/z, /m/b/w, /m/empty/, /m/top. */
    void uploadTree() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("host"));
        TestTrees.write(host, "a/x", "x");
        TestTrees.write(host, "a/y", "y");
        TestTrees.write(host, "a/sub/z", "z");
        TestTrees.write(host, "b/w", "w");
        TestTrees.write(host, "top", "t");
        Files.createDirectories(host.resolve("empty"));
        engine.upload(UploadRequest.of(CTX, "/m", host, tmp.resolve("base")));
    }

    @Test
    void removesMatchingFiles_inOneCommit() {
        put("/d/a.log", "a");
        put("/d/b.txt", "b");
        put("/d/c.log", "c");
        long gen = engine.head(CTX).generation();

        long n = engine.removeEntries(CTX, e -> e.path().endsWith(".log"));

        assertThat(n).isEqualTo(2);
        assertThat(paths()).containsExactly("/d/b.txt");
        assertThat(engine.head(CTX).generation()).isEqualTo(gen + 1);
    }

    @Test
    void nothingMatching_returnsZero_andCommitsNothing() {
        put("/a", "a");
        long gen = engine.head(CTX).generation();
        int cas = heads.casCalls.get();

        assertThat(engine.removeEntries(CTX, e -> false)).isZero();
        assertThat(engine.removeEntries("never-committed", e -> true)).isZero();

        assertThat(engine.head(CTX).generation()).isEqualTo(gen);
        assertThat(heads.casCalls.get()).isEqualTo(cas);
        assertThat(paths()).containsExactly("/a");
    }

    @Test
    void matchingDirectory_isKeptWhileSomethingBelowSurvives() throws Exception {
        uploadTree();
        assertThat(paths())
                .containsExactly(
                        "/m/a/",
                        "/m/a/sub/",
                        "/m/a/sub/z",
                        "/m/a/x",
                        "/m/a/y",
                        "/m/b/",
                        "/m/b/w",
                        "/m/empty/",
                        "/m/top");

        // every directory matches; under /m/a only /m/a/y survives, /m/b loses everything
        long n = engine.removeEntries(
                CTX,
                e -> e.type() == EntryType.DIRECTORY
                        || !e.path().equals("/m/a/y") && !e.path().equals("/m/top"));

        assertThat(paths()).containsExactly("/m/a/", "/m/a/y", "/m/top");
        assertThat(n).isEqualTo(6); // a/sub/, a/sub/z, a/x, b/, b/w, empty/
    }

    @Test
    void survivorDeepBelow_keepsTheWholeChainOfMatchingDirectories() throws Exception {
        uploadTree();

        long n = engine.removeEntries(CTX, e -> !e.path().equals("/m/a/sub/z"));

        assertThat(paths()).containsExactly("/m/a/", "/m/a/sub/", "/m/a/sub/z");
        assertThat(n).isEqualTo(6);
    }

    @Test
    void everything_leavesAnEmptyContext() throws Exception {
        uploadTree();

        assertThat(engine.removeEntries(CTX, e -> true)).isEqualTo(9);

        assertThat(paths()).isEmpty();
        assertThat(engine.head(CTX).manifestKey()).isNull();
    }

    @Test
    void lostRace_reEvaluatesThePredicateAgainstTheNewHead() {
        put("/old/a", "stale");
        put("/old/b", "stale");
        long gen = engine.head(CTX).generation();
        // a concurrent commit re-uploads /old/a with fresh content before our first compare-and-set
        heads.beforeCas = () -> put("/old/a", "fresh!");
        List<String> seen = new ArrayList<>();

        long n = engine.removeEntries(CTX, e -> {
            seen.add(e.path() + "=" + e.size());
            return e.size() == 5; // "stale"
        });

        assertThat(n).isEqualTo(1);
        assertThat(paths()).containsExactly("/old/a");
        assertThat(seen).containsExactly("/old/a=5", "/old/b=5", "/old/a=6", "/old/b=5");
        assertThat(engine.head(CTX).generation()).isEqualTo(gen + 2);
    }

    @Test
    void failingPredicate_commitsNothing() {
        put("/a", "a");
        long gen = engine.head(CTX).generation();

        assertThatThrownBy(() -> engine.removeEntries(CTX, e -> {
                    throw new IllegalStateException("boom");
                }))
                .hasMessageContaining("boom");

        assertThat(engine.head(CTX).generation()).isEqualTo(gen);
    }

    @Test
    void invalidContextId_isRefused() {
        assertThatThrownBy(() -> engine.removeEntries("a/b", e -> true)).isInstanceOf(SyncException.class);
    }
}
