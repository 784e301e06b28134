package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openagb.sync.TestTrees.describe;
import static org.openagb.sync.TestTrees.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.model.ExtractPolicy;
import org.openagb.model.SyncPolicy;
import org.openagb.model.UploadMode;
import org.openagb.model.UploadPolicy;
import org.openagb.model.UploadStrategy;
import org.openagb.storage.InMemoryObjectStore;
import org.openagb.storage.ObjectInfo;

/**
 * Context versions in the engine: what commits record, what the retention keeps, diffs, restores (byte for byte),
 * read-only mounts of a past version, and what garbage collection keeps and reclaims.
 */
class VersionsTest {
    static final String CTX = "SdkCtx-versions";
    static final String MOUNT = "/home/project";
    static final Duration GRACE = Duration.ofHours(1);
    static final VersionRetention RETENTION = new VersionRetention(3, Duration.ofHours(2));

    @TempDir
    Path tmp;

    GarbageCollectionTest.Movable clock;
    InMemoryObjectStore memory;
    InMemoryContextHeads heads;
    SyncEngine engine;
    int sessions;

    @BeforeEach
    void setUp() {
        clock = new GarbageCollectionTest.Movable();
        memory = new InMemoryObjectStore(clock);
        heads = new InMemoryContextHeads(clock);
        engine = SyncEngine.create(
                memory,
                heads,
                clock,
                SyncOptions.defaults().withTempDir(tmp.resolve("scratch")).withVersionRetention(RETENTION));
    }

    @AfterEach
    void tearDown() {
        engine.close();
        memory.assertNoOpenStreams();
    }

    MountRequest mount() throws IOException {
        Path session = tmp.resolve("s" + ++sessions);
        return new MountRequest(
                CTX, MOUNT, Files.createDirectories(session.resolve("fs")), session.resolve("base"), null);
    }

    long commit(MountRequest m, String name, String content) {
        write(m.hostDir(), name, content);
        engine.uploadMount(m);
        return engine.head(CTX).generation();
    }

    @Test
    void everyCommit_isListedNewestFirst_withItsFileCountAndBytes() throws Exception {
        MountRequest m = mount();
        commit(m, "a.txt", "aaa");
        clock.advance(Duration.ofMinutes(1));
        write(m.hostDir(), "dir/b.txt", "bbbbb");
        engine.uploadMount(m);

        List<ContextVersion> versions = engine.versions(CTX);

        assertThat(versions).extracting(ContextVersion::generation).containsExactly(2L, 1L);
        assertThat(versions.get(0).stats()).isEqualTo(new VersionStats(2, 8));
        assertThat(versions.get(1).stats()).isEqualTo(new VersionStats(1, 3));
        assertThat(versions.get(0).committedAt())
                .isEqualTo(versions.get(1).committedAt().plusSeconds(60));
        assertThat(versions.get(0).manifestKey()).isEqualTo(engine.head(CTX).manifestKey());
    }

    @Test
    void retention_keepsTheLastK_andTheYoungOnes_andListsOnlyThose() throws Exception {
        MountRequest m = mount();
        for (int i = 1; i <= 6; i++) {
            commit(m, "f.txt", "v" + i);
            clock.advance(Duration.ofHours(1));
        }
        // now: generation 6 is 1 h old, 5 is 2 h old, 1 is 6 h old; keep 3 newest + younger than 2 h

        assertThat(engine.versions(CTX)).extracting(ContextVersion::generation).containsExactly(6L, 5L, 4L);
        assertThatThrownBy(() -> engine.version(CTX, 2))
                .isInstanceOf(VersionNotFoundException.class)
                .hasMessageContaining("version 2 of context '" + CTX + "'")
                .hasMessageContaining("dropped by the retention")
                .hasMessageContaining("kept now: 4, 5, 6");
        assertThatThrownBy(() -> engine.version(CTX, 9))
                .isInstanceOf(VersionNotFoundException.class)
                .hasMessageContaining("the context is at generation 6");
    }

    @Test
    void diff_listsAddedRemovedAndChangedPaths_inOrder_andPagesThroughThem() throws Exception {
        MountRequest m = mount();
        write(m.hostDir(), "keep.txt", "same");
        write(m.hostDir(), "change.txt", "before");
        write(m.hostDir(), "gone.txt", "bye");
        engine.uploadMount(m);
        Files.delete(m.hostDir().resolve("gone.txt"));
        write(m.hostDir(), "change.txt", "after!!");
        write(m.hostDir(), "new/added.txt", "hello");
        write(m.hostDir(), "keep.txt", "same", 1_700_000_000_000L, "rw-r--r--"); // mtime only: not a change
        engine.uploadMount(m);

        VersionDiff all = engine.diffVersions(CTX, 1, 2, null, 100);
        List<String> paged = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            VersionDiff page = engine.diffVersions(CTX, 1, 2, after, 1);
            page.changes().forEach(c -> paged.add(c.path()));
            after = page.nextPath();
            pages++;
        } while (after != null);

        assertThat(all.nextPath()).isNull();
        assertThat(all.changes())
                .extracting(VersionChange::path)
                .containsExactly(MOUNT + "/change.txt", MOUNT + "/gone.txt", MOUNT + "/new", MOUNT + "/new/added.txt");
        assertThat(all.changes().get(0)).isInstanceOfSatisfying(VersionChange.Changed.class, c -> {
            assertThat(c.before().size()).isEqualTo(6);
            assertThat(c.after().size()).isEqualTo(7);
        });
        assertThat(all.changes().get(1)).isInstanceOf(VersionChange.Removed.class);
        assertThat(all.changes().get(3)).isInstanceOf(VersionChange.Added.class);
        assertThat(paged)
                .isEqualTo(all.changes().stream().map(VersionChange::path).toList());
        assertThat(pages).isEqualTo(4);
        assertThat(engine.diffVersions(CTX, 2, 1, null, 100).changes().get(1)).isInstanceOf(VersionChange.Added.class);
    }

    @Test
    void restore_commitsTheOldContentAsANewGeneration_byteForByte_withModes() throws Exception {
        MountRequest m = mount();
        Random random = new Random(42);
        byte[] big = new byte[3_000_000];
        random.nextBytes(big);
        write(m.hostDir(), "big.bin", big, 1_600_000_001_000L, "rwxr-x---");
        write(m.hostDir(), "src/a.py", "print('a')\n", 1_600_000_002_000L, "rw-r-----");
        write(m.hostDir(), "src/b.py", "print('b')\n", 1_600_000_003_000L, "rw-r--r--");
        write(m.hostDir(), "empty", new byte[0], 1_600_000_004_000L, "rw-------");
        Files.createSymbolicLink(m.hostDir().resolve("link"), Path.of("src/a.py"));
        engine.uploadMount(m);
        Map<String, String> described = describe(m.hostDir());
        Path original = tmp.resolve("original");
        copyTree(m.hostDir(), original);
        long gen1 = engine.head(CTX).generation();
        byte[] other = big.clone();
        other[1000] ^= 1;
        write(m.hostDir(), "big.bin", other, 1_600_000_009_000L, "rw-r--r--");
        Files.delete(m.hostDir().resolve("src/b.py"));
        write(m.hostDir(), "src/c.py", "print('c')\n");
        Files.setPosixFilePermissions(m.hostDir().resolve("src/a.py"), PosixFilePermissions.fromString("rwxrwxrwx"));
        engine.uploadMount(m);

        RestoreResult r = engine.restoreVersion(CTX, gen1);
        MountRequest fresh = mount();
        engine.downloadMount(fresh);

        assertThat(r.committed()).isTrue();
        assertThat(r.head().generation()).isEqualTo(gen1 + 2);
        assertThat(engine.diffVersions(CTX, gen1, r.head().generation(), null, 10)
                        .changes())
                .isEmpty();
        assertThat(describe(fresh.hostDir())).isEqualTo(described);
        assertSameBytes(original, fresh.hostDir());
    }

    @Test
    void restore_ofTheContentAlreadyCurrent_commitsNothing() throws Exception {
        MountRequest m = mount();
        long gen = commit(m, "a.txt", "a");

        RestoreResult r = engine.restoreVersion(CTX, gen);

        assertThat(r.committed()).isFalse();
        assertThat(r.head().generation()).isEqualTo(gen);
    }

    @Test
    void restore_ofAClearedContext_bringsTheFilesBack() throws Exception {
        MountRequest m = mount();
        long gen = commit(m, "a.txt", "precious");
        engine.clear(CTX);

        engine.restoreVersion(CTX, gen);

        assertThat(engine.stat(CTX, MOUNT + "/a.txt"))
                .get()
                .extracting(ManifestEntry::size)
                .isEqualTo(8L);
    }

    @Test
    void restore_ofAnArchiveContext_keepsItsModeLock() throws Exception {
        SyncPolicy archive = SyncPolicy.builder()
                .uploadPolicy(new UploadPolicy(true, UploadStrategy.UPLOAD_BEFORE_RESOURCE_RELEASE, UploadMode.ARCHIVE))
                .extractPolicy(new ExtractPolicy(true, true, true))
                .build();
        Path session = tmp.resolve("archive");
        MountRequest m = new MountRequest(
                CTX, MOUNT, Files.createDirectories(session.resolve("fs")), session.resolve("base"), archive);
        write(m.hostDir(), "a.txt", "one");
        engine.uploadMount(m);
        write(m.hostDir(), "a.txt", "two");
        engine.uploadMount(m);

        RestoreResult r = engine.restoreVersion(CTX, 1);
        MountRequest fileMode = mount();
        write(fileMode.hostDir(), "x.txt", "x");

        assertThat(r.head().mode()).isEqualTo(UploadMode.ARCHIVE);
        assertThatThrownBy(() -> engine.uploadMount(fileMode)).isInstanceOf(ModeLockedException.class);
        MountRequest reader = new MountRequest(
                CTX, MOUNT, Files.createDirectories(tmp.resolve("r/fs")), tmp.resolve("r/base"), archive);
        engine.downloadMount(reader);
        assertThat(Files.readString(reader.hostDir().resolve("a.txt"))).isEqualTo("one");
    }

    @Test
    void restore_ofADroppedVersion_isRefused_andCommitsNothing() throws Exception {
        MountRequest m = mount();
        for (int i = 1; i <= 5; i++) {
            commit(m, "f.txt", "v" + i);
            clock.advance(Duration.ofHours(3));
        }

        assertThatThrownBy(() -> engine.restoreVersion(CTX, 1))
                .isInstanceOf(VersionNotFoundException.class)
                .hasMessageContaining("dropped by the retention (the last 3 generations and those younger than 2 h");
        assertThat(engine.head(CTX).generation()).isEqualTo(5);
    }

    @Test
    void aMountOfAPastVersion_downloadsThatVersion_andRefusesToUpload() throws Exception {
        MountRequest m = mount();
        long gen1 = commit(m, "notes.txt", "first");
        commit(m, "notes.txt", "second");

        MountRequest past = mount().withVersion(gen1);
        MountOutcome down = engine.downloadMount(past);
        String downloaded = Files.readString(past.hostDir().resolve("notes.txt"));
        write(past.hostDir(), "notes.txt", "edited in the read-only mount");

        assertThat(down.complete()).isTrue();
        assertThat(downloaded).isEqualTo("first");
        assertThatThrownBy(() -> engine.uploadMount(past))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("it mounts version " + gen1 + " read-only");
        assertThat(engine.head(CTX).generation()).isEqualTo(2);
        assertThat(engine.stat(CTX, MOUNT + "/notes.txt"))
                .get()
                .extracting(ManifestEntry::size)
                .isEqualTo(6L);
    }

    @Test
    void gc_neverDeletesABlobOfARetainedVersion_andReclaimsADroppedOne() throws Exception {
        MountRequest m = mount();
        List<List<String>> blobsOf = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            write(m.hostDir(), "big.bin", ("v" + i).repeat(700_000)); // each version's own blob
            engine.uploadMount(m);
            blobsOf.add(blobs());
            clock.advance(Duration.ofHours(3));
        }
        // generation 5 is 3 h old; retained: 5, 4, 3 (the last 3); 1 and 2 are dropped

        GcResult r = engine.collectGarbage(CTX, clock.instant().minus(GRACE));

        assertThat(r.versionsForgotten()).isEqualTo(2);
        assertThat(engine.versions(CTX)).extracting(ContextVersion::generation).containsExactly(5L, 4L, 3L);
        List<String> left = blobs();
        assertThat(left).doesNotContain(only(blobsOf, 0)).doesNotContain(only(blobsOf, 1));
        assertThat(left).contains(only(blobsOf, 2), only(blobsOf, 3), only(blobsOf, 4));
        for (long gen = 3; gen <= 5; gen++) {
            MountRequest reader = mount().withVersion(gen);
            assertThat(engine.downloadMount(reader).complete()).isTrue();
            assertThat(Files.readString(reader.hostDir().resolve("big.bin"))).isEqualTo(("v" + gen).repeat(700_000));
        }
        assertThat(r.manifestsDeleted()).isEqualTo(2);
    }

    @Test
    void gc_keepsAVersionThatWasRetainedWhenTheGracePeriodBegan_forARestoreStartedThen() throws Exception {
        MountRequest m = mount();
        write(m.hostDir(), "big.bin", "old".repeat(700_000));
        engine.uploadMount(m);
        List<String> oldBlobs = blobs();
        clock.advance(Duration.ofHours(5));
        for (int i = 0; i < 3; i++) {
            commit(m, "big.bin", "new" + i); // three newer generations push generation 1 out of the last 3
        }
        // Generation 1 was retained until a moment ago; a restore that began then is still within the grace period.

        engine.collectGarbage(CTX, clock.instant().minus(GRACE));

        assertThat(blobs()).containsAll(oldBlobs);
        clock.advance(GRACE.plusMinutes(1));
        engine.collectGarbage(CTX, clock.instant().minus(GRACE));
        assertThat(blobs()).doesNotContainAnyElementsOf(oldBlobs);
    }

    List<String> blobs() {
        return memory.list("blobs/" + CTX + "/").stream().map(ObjectInfo::key).toList();
    }

    /** The blob keys that appeared with upload {@code i}. */
    static String only(List<List<String>> blobsOf, int i) {
        List<String> mine = new ArrayList<>(blobsOf.get(i));
        if (i > 0) {
            mine.removeAll(blobsOf.get(i - 1));
        }
        assertThat(mine).hasSize(1);
        return mine.get(0);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Every regular file of {@code expected} has the same bytes in {@code actual} (compared, not hashed). */
    static void assertSameBytes(Path expected, Path actual) throws IOException {
        try (Stream<Path> s = Files.walk(expected)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Path other = actual.resolve(expected.relativize(p).toString());
                    assertThat(Files.mismatch(p, other))
                            .as("first differing byte of %s", other)
                            .isEqualTo(-1L);
                }
            }
        }
    }
}
