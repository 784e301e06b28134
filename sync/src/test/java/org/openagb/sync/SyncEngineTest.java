package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openagb.sync.TestTrees.describe;
import static org.openagb.sync.TestTrees.read;
import static org.openagb.sync.TestTrees.write;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.storage.InMemoryObjectStore;
import org.openagb.storage.LocalObjectStore;
import org.openagb.sync.PathScope.WhiteList;
import org.openagb.sync.TestTrees.CountingStore;

class SyncEngineTest {
    static final String CTX = "SdkCtx-test";
    static final String MOUNT = "/home/project";
    static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");

    @TempDir
    Path tmp;

    InMemoryObjectStore memory;
    CountingStore store;
    InMemoryContextHeads heads;
    SyncOptions options;
    SyncEngine engine;

    @BeforeEach
    void setUp() {
        memory = new InMemoryObjectStore();
        store = new CountingStore(memory);
        heads = new InMemoryContextHeads();
        options = SyncOptions.defaults().withPacking(4096, 16384).withTempDir(tmp.resolve("scratch"));
        engine = SyncEngine.create(store, heads, Clock.fixed(NOW, ZoneOffset.UTC), options);
    }

    @AfterEach
    void tearDown() {
        engine.close();
        memory.assertNoOpenStreams();
    }

    /** A session: its host directory and base file. */
    record Session(Path dir, Path base) {}

    Session session(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name + "/home/project"));
        return new Session(dir, tmp.resolve(name + "/base.manifest"));
    }

    DownloadResult download(Session s) {
        return engine.download(DownloadRequest.of(CTX, MOUNT, s.dir, s.base));
    }

    UploadResult upload(Session s) {
        return engine.upload(UploadRequest.of(CTX, MOUNT, s.dir, s.base));
    }

    String contextFile(String path) {
        try (ContextFile f = engine.openFile(CTX, path)) {
            return new String(f.content().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    List<String> contextPaths() {
        List<String> out = new ArrayList<>();
        engine.forEachEntry(CTX, e -> out.add(e.path()));
        return out;
    }

    void buildRichTree(Path root) throws Exception {
        write(root, "src/main.py", "print('hi')\n", 1_700_000_000_123L, "rwxr-xr-x");
        write(root, "src/util/helpers.py", "x = 1\n", 1_700_000_001_000L, "rw-------");
        write(root, "empty.txt", "", 1_700_000_002_000L, "rw-r--r--");
        write(root, "données/résumé €.txt", "unicode ✓", 1_700_000_003_000L, "rw-r--r--");
        byte[] big = new byte[300_000];
        new Random(1).nextBytes(big);
        write(root, "data/big.bin", big, 1_700_000_004_000L, "rw-r-----");
        for (int i = 0; i < 40; i++) {
            write(
                    root,
                    "many/f" + i + ".txt",
                    "content " + i + "\n".repeat(i * 30),
                    1_700_000_005_000L + i,
                    "rw-r--r--");
        }
        Files.createDirectories(root.resolve("empty-dir"));
        Files.setPosixFilePermissions(root.resolve("empty-dir"), PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(root.resolve("link-rel"), Path.of("src/main.py"));
        Files.createSymbolicLink(root.resolve("link-abs"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(root.resolve("src/dangling"), Path.of("../nowhere"));
        // directory mtimes last, after their content was created
        for (String d : List.of("src/util", "src", "données", "data", "many", "empty-dir")) {
            Files.setLastModifiedTime(root.resolve(d), FileTime.fromMillis(1_690_000_000_000L));
        }
    }

    @Test
    void roundTrip_uploadThenDownloadIntoFreshDir_reproducesTree() throws Exception {
        Session a = session("a");
        buildRichTree(a.dir);

        UploadResult up = upload(a);
        Session b = session("b");
        DownloadResult down = download(b);

        assertThat(up.generation()).isEqualTo(1);
        assertThat(up.filesUploaded()).isEqualTo(45);
        assertThat(up.conflicts()).isEmpty();
        assertThat(down.failures()).isEmpty();
        assertThat(down.filesWritten()).isEqualTo(45);
        assertThat(describe(b.dir)).isEqualTo(describe(a.dir));
        assertThat(store.blobPuts.get()).as("small files packed").isLessThan(15);
        assertThat(contextPaths()).contains("/home/project/empty-dir", "/home/project/données/résumé €.txt");
        assertThat(engine.stat(CTX, "/home/project/src/main.py"))
                .hasValueSatisfying(e -> assertThat(e.uploadedAtMillis()).isEqualTo(NOW.toEpochMilli()));
    }

    @Test
    void roundTrip_onLocalObjectStore_works() throws Exception {
        engine.close();
        engine = SyncEngine.create(new LocalObjectStore(tmp.resolve("store")), heads, Clock.systemUTC(), options);
        Session a = session("a");
        buildRichTree(a.dir);

        upload(a);
        Session b = session("b");
        download(b);

        assertThat(describe(b.dir)).isEqualTo(describe(a.dir));
    }

    @Test
    void upload_anEditThatKeepsTheSizeAndRestoresTheMtime_isUploaded() throws Exception {
        // printf BBBB > f && touch -d @<old> f: size and mtime as in the base, only the ctime tells.
        Session a = session("a");
        Path f = write(a.dir, "f.txt", "AAAA", 1_600_000_000_000L, "rw-r--r--");
        upload(a);

        Files.writeString(f, "BBBB");
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_600_000_000_000L));
        UploadResult r = upload(a);

        assertThat(r.filesUploaded()).isEqualTo(1);
        assertThat(contextFile("/home/project/f.txt")).isEqualTo("BBBB");
    }

    @Test
    void upload_afterAChmodAndBack_hashesTheFileButUploadsNothing() throws Exception {
        Session a = session("a");
        Path f = write(a.dir, "f.txt", "same", 1_600_000_000_000L, "rw-r--r--");
        TestTrees.nextClockTick(tmp.resolve("ticks"));
        upload(a);

        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        UploadResult r = upload(a);

        assertThat(r.filesHashed()).as("its ctime moved: hashed, not trusted").isEqualTo(1);
        assertThat(r.filesUploaded()).isZero();
        assertThat(r.commitAttempts()).isZero();
    }

    @Test
    void upload_unchangedTree_uploadsNothingAndCommitsNothing() throws Exception {
        Session a = session("a");
        buildRichTree(a.dir);
        TestTrees.nextClockTick(tmp.resolve("ticks"));
        upload(a);
        int puts = store.blobPuts.get() + store.manifestPuts.get();

        UploadResult again = upload(a);

        assertThat(again.filesUploaded()).isZero();
        assertThat(again.entriesChanged()).isZero();
        assertThat(again.filesHashed()).isZero();
        assertThat(again.commitAttempts()).isZero();
        assertThat(again.generation()).isEqualTo(1);
        assertThat(again.unchanged()).isEqualTo(contextPaths().size());
        assertThat(store.blobPuts.get() + store.manifestPuts.get()).isEqualTo(puts);
    }

    @Test
    void upload_afterDownload_onlyChangedFilesAreHashedAndUploaded() throws Exception {
        Session a = session("a");
        buildRichTree(a.dir);
        upload(a);
        Session b = session("b");
        download(b);

        write(b.dir, "many/f3.txt", "changed, longer content");
        Files.setLastModifiedTime(b.dir.resolve("many/f4.txt"), FileTime.fromMillis(1_800_000_000_000L)); // touch only
        TestTrees.nextClockTick(tmp.resolve("ticks"));
        UploadResult r = upload(b);

        assertThat(r.filesUploaded()).isEqualTo(1);
        assertThat(r.filesHashed()).as("f3 uploaded, f4 re-hashed").isEqualTo(2);
        assertThat(r.generation()).isEqualTo(2);
        assertThat(contextFile("/home/project/many/f3.txt")).isEqualTo("changed, longer content");
        UploadResult again = upload(b);
        assertThat(again.filesHashed()).as("the base remembers f4's new mtime").isZero();
    }

    @Test
    void twoSessions_changingDifferentFiles_bothChangesKept() throws Exception {
        Session seed = session("seed");
        write(seed.dir, "a.txt", "a0");
        write(seed.dir, "b.txt", "b0");
        upload(seed);
        Session s1 = session("s1");
        Session s2 = session("s2");
        download(s1);
        download(s2);

        write(s1.dir, "a.txt", "a1 from s1");
        write(s2.dir, "b.txt", "b2 from s2");
        UploadResult r1 = upload(s1);
        UploadResult r2 = upload(s2);

        assertThat(r1.conflicts()).isEmpty();
        assertThat(r2.conflicts()).isEmpty();
        assertThat(contextFile("/home/project/a.txt")).isEqualTo("a1 from s1");
        assertThat(contextFile("/home/project/b.txt")).isEqualTo("b2 from s2");
    }

    @Test
    void twoSessions_changingSameFile_lastWriterWinsAndConflictIsReported() throws Exception {
        Session seed = session("seed");
        write(seed.dir, "a.txt", "a0");
        upload(seed);
        Session s1 = session("s1");
        Session s2 = session("s2");
        download(s1);
        download(s2);

        write(s1.dir, "a.txt", "from s1");
        write(s2.dir, "a.txt", "from s2!");
        UploadResult r1 = upload(s1);
        UploadResult r2 = upload(s2);

        assertThat(r1.conflicts()).isEmpty();
        assertThat(r2.conflicts()).containsExactly("/home/project/a.txt");
        assertThat(r2.message())
                .contains(
                        "1 file(s) changed by another session were overwritten (last writer wins): /home/project/a.txt");
        assertThat(contextFile("/home/project/a.txt")).isEqualTo("from s2!");
    }

    @Test
    void staleSession_neverClobbersOrResurrectsFilesItDidNotTouch() throws Exception {
        Session seed = session("seed");
        write(seed.dir, "a.txt", "a0");
        write(seed.dir, "b.txt", "b0");
        write(seed.dir, "c.txt", "c0");
        upload(seed);
        Session stale = session("stale");
        Session fresh = session("fresh");
        download(stale);
        download(fresh);

        write(fresh.dir, "b.txt", "b from fresh");
        Files.delete(fresh.dir.resolve("c.txt"));
        upload(fresh);
        write(stale.dir, "a.txt", "a from stale");
        UploadResult r = upload(stale);

        assertThat(r.conflicts()).isEmpty();
        assertThat(contextFile("/home/project/a.txt")).isEqualTo("a from stale");
        assertThat(contextFile("/home/project/b.txt")).isEqualTo("b from fresh");
        assertThat(contextPaths()).doesNotContain("/home/project/c.txt");
    }

    @Test
    void upload_localDeleteWithSyncLocalFileFalse_keepsRemoteFile() throws Exception {
        Session s = session("s");
        write(s.dir, "keep.txt", "k");
        write(s.dir, "gone.txt", "g");
        upload(s);

        Files.delete(s.dir.resolve("gone.txt"));
        UploadResult r =
                engine.upload(UploadRequest.of(CTX, MOUNT, s.dir, s.base).withPropagateDeletes(false));

        assertThat(r.filesDeleted()).isZero();
        assertThat(contextPaths()).containsExactly("/home/project/gone.txt", "/home/project/keep.txt");
    }

    @Test
    void upload_localDeleteWithSyncLocalFileTrue_deletesRemoteFileAndDirectory() throws Exception {
        Session s = session("s");
        write(s.dir, "keep.txt", "k");
        write(s.dir, "dir/gone.txt", "g");
        upload(s);

        Files.delete(s.dir.resolve("dir/gone.txt"));
        Files.delete(s.dir.resolve("dir"));
        UploadResult r = upload(s);

        assertThat(r.filesDeleted()).isEqualTo(2);
        assertThat(contextPaths()).containsExactly("/home/project/keep.txt");
        Session fresh = session("fresh");
        download(fresh);
        assertThat(describe(fresh.dir)).containsOnlyKeys("keep.txt");
    }

    @Test
    void upload_withWhiteListAndExcludes_touchesOnlyScopedPaths() throws Exception {
        engine.putFile(CTX, "/elsewhere/x.txt", new ByteArrayInputStream(new byte[] {1}), 1);
        engine.putFile(CTX, "/home/project/docs/old.md", new ByteArrayInputStream(new byte[] {2}), 1);
        Session s = session("s");
        write(s.dir, "src/a.py", "a");
        write(s.dir, "src/build/out.o", "o");
        write(s.dir, "srcx/no.py", "n");
        write(s.dir, "top.txt", "t");
        PathScope scope = PathScope.of(MOUNT, List.of(new WhiteList("src", List.of("build"))));

        engine.upload(UploadRequest.of(CTX, MOUNT, s.dir, s.base).withScope(scope));

        assertThat(contextPaths())
                .containsExactly(
                        "/elsewhere/x.txt", "/home/project/docs/old.md", "/home/project/src", "/home/project/src/a.py");
    }

    @Test
    void download_withWhiteList_materialisesOnlyScopedPaths() throws Exception {
        Session seed = session("seed");
        write(seed.dir, "src/a.py", "a");
        write(seed.dir, "src/build/out.o", "o");
        write(seed.dir, "other/b.txt", "b");
        write(seed.dir, "one/file.txt", "f");
        write(seed.dir, "one/not.txt", "n");
        upload(seed);
        Session s = session("s");
        PathScope scope = PathScope.of(List.of(new WhiteList("src", List.of("build")), new WhiteList("one/file.txt")));

        engine.download(DownloadRequest.of(CTX, MOUNT, s.dir, s.base).withScope(scope));

        assertThat(describe(s.dir)).containsOnlyKeys("src", "src/a.py", "one", "one/file.txt");
    }

    @Test
    void download_withMapping_materialisesOtherPathAtMount_andUploadStoresUnderMount() throws Exception {
        engine.putFile(CTX, "c:/Users/me/Downloads/report.txt", new ByteArrayInputStream("r".getBytes()), 1);
        engine.putFile(CTX, "c:/Users/me/Downloads/sub/x.txt", new ByteArrayInputStream("x".getBytes()), 1);
        engine.putFile(CTX, "c:/Users/me/Other/no.txt", new ByteArrayInputStream("n".getBytes()), 1);
        Session s = session("s");

        DownloadResult d = engine.download(
                DownloadRequest.of(CTX, MOUNT, s.dir, s.base).withSourcePrefix("c:\\Users\\me\\Downloads\\"));
        UploadResult u = upload(s);

        assertThat(d.filesWritten()).isEqualTo(2);
        assertThat(read(s.dir.resolve("report.txt"))).isEqualTo("r");
        assertThat(read(s.dir.resolve("sub/x.txt"))).isEqualTo("x");
        assertThat(u.filesUploaded()).isEqualTo(2);
        assertThat(contextFile("/home/project/sub/x.txt")).isEqualTo("x");
        assertThat(contextPaths()).contains("c:/Users/me/Downloads/report.txt", "c:/Users/me/Other/no.txt");
    }

    /** Heads that let another writer commit just before the first compare-and-set of the engine under test. */
    static final class InterferingHeads implements ContextHeads {
        final InMemoryContextHeads delegate;
        Runnable interference;
        int casCalls;

        InterferingHeads(InMemoryContextHeads delegate) {
            this.delegate = delegate;
        }

        @Override
        public Head head(String contextId) {
            return delegate.head(contextId);
        }

        @Override
        public synchronized boolean compareAndSet(String contextId, long expected, Head next, VersionStats stats) {
            casCalls++;
            if (interference != null) {
                Runnable r = interference;
                interference = null;
                r.run();
            }
            return delegate.compareAndSet(contextId, expected, next, stats);
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

    @Test
    void upload_whenAnotherCommitLandsBeforeCas_retriesWithoutReuploadingBlobs() throws Exception {
        InterferingHeads interfering = new InterferingHeads(heads);
        engine.close();
        engine = SyncEngine.create(store, interfering, Clock.systemUTC(), options);
        SyncEngine other = SyncEngine.create(store, heads, Clock.systemUTC(), options);
        Session s = session("s");
        for (int i = 0; i < 20; i++) {
            write(s.dir, "f" + i + ".txt", "x".repeat(1000 + i));
        }
        write(s.dir, "big.bin", "B".repeat(50_000));
        interfering.interference =
                () -> other.putFile(CTX, "/home/project/from-other.txt", new ByteArrayInputStream("o".getBytes()), 1);

        UploadResult r = upload(s);
        other.close();

        assertThat(r.commitAttempts()).isEqualTo(2);
        assertThat(r.generation()).isEqualTo(2);
        assertThat(contextFile("/home/project/from-other.txt")).isEqualTo("o");
        assertThat(contextFile("/home/project/f7.txt")).isEqualTo("x".repeat(1007));
        Set<String> keys = new HashSet<>();
        engine.forEachEntry(CTX, e -> {
            if (e.blob() != null && !e.path().endsWith("from-other.txt")) {
                keys.add(e.blob().objectKey());
            }
        });
        assertThat(store.blobPuts.get())
                .as("each blob stored once, plus the other writer's")
                .isEqualTo(keys.size() + 1);
        assertThat(memory.list("manifests/")).hasSize(2);
    }

    @Test
    void upload_whenEveryCasLoses_failsAndLeavesNoBlobsAndOldBase() throws Exception {
        ContextHeads losing = new ContextHeads() {
            @Override
            public Head head(String contextId) {
                return heads.head(contextId);
            }

            @Override
            public boolean compareAndSet(String contextId, long expected, Head next, VersionStats stats) {
                return false;
            }

            @Override
            public java.util.List<ContextVersion> versions(String contextId) {
                return heads.versions(contextId);
            }

            @Override
            public int forgetVersions(String contextId, java.util.Collection<Long> generations) {
                return heads.forgetVersions(contextId, generations);
            }
        };
        engine.close();
        engine = SyncEngine.create(store, losing, Clock.systemUTC(), options.withMaxCommitAttempts(3));
        Session s = session("s");
        write(s.dir, "a.txt", "a");

        assertThatThrownBy(() -> upload(s))
                .isInstanceOf(CommitConflictException.class)
                .hasMessage("Cannot commit context 'SdkCtx-test': other commits won 3 times in a row"
                        + " (retry later, or reduce concurrent writers)");
        assertThat(memory.list("")).isEmpty();
        assertThat(s.base).doesNotExist();
    }

    @Test
    void upload_fileGrowingDuringUpload_failsWithChangedDuringUpload() throws Exception {
        Session s = session("s");
        Path big = write(s.dir, "big.log", "L".repeat(20_000));
        store.beforePut = (key, length) -> {
            if (length == 20_000) {
                try {
                    Files.writeString(big, "more", StandardOpenOption.APPEND);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };

        assertThatThrownBy(() -> upload(s))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("Cannot upload file '/home/project/big.log': it changed during upload");
        assertThat(heads.head(CTX)).isEqualTo(Head.EMPTY);
    }

    @Test
    void upload_missingHostDir_failsClearly() {
        Path missing = tmp.resolve("nope");
        assertThatThrownBy(() -> engine.upload(UploadRequest.of(CTX, MOUNT, missing, tmp.resolve("b"))))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("Cannot scan directory")
                .hasMessageContaining("does not exist");
    }

    @Test
    void manyFiles_roundTripPackedIntoOneObject() throws Exception {
        engine.close();
        engine = SyncEngine.create(
                store, heads, Clock.systemUTC(), SyncOptions.defaults().withTempDir(tmp));
        Session a = session("a");
        for (int d = 0; d < 100; d++) {
            Files.createDirectories(a.dir.resolve("d" + d));
        }
        for (int i = 0; i < 4_000; i++) {
            Files.writeString(a.dir.resolve("d" + (i % 100) + "/f" + i + ".txt"), "file " + i);
        }

        UploadResult up = upload(a);
        Session b = session("b");
        DownloadResult down = download(b);
        UploadResult again = upload(b);

        assertThat(up.filesUploaded()).isEqualTo(4_000);
        assertThat(store.blobPuts.get()).isEqualTo(1);
        assertThat(down.filesWritten()).isEqualTo(4_000);
        assertThat(again.filesUploaded()).isZero();
        assertThat(again.filesHashed()).isZero();
        assertThat(read(b.dir.resolve("d42/f3942.txt"))).isEqualTo("file 3942");
    }
}
