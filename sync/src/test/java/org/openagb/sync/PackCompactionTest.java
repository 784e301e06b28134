package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sync.TestTrees.describe;
import static org.openagb.sync.TestTrees.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openagb.storage.InMemoryObjectStore;
import org.openagb.storage.ObjectInfo;

/**
 * Pack compaction: a pack whose files were mostly replaced or deleted is rewritten with only its live files, the
 * context downloads the same bytes afterwards, a commit racing the compaction keeps its changes, and the old pack is
 * collected later.
 */
class PackCompactionTest {
    static final String CTX = "SdkCtx-compact";
    static final Duration GRACE = Duration.ofHours(1);

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
        // No versions kept, so that what the head no longer uses is garbage (one test keeps versions).
        engine = SyncEngine.create(
                memory,
                heads,
                clock,
                SyncOptions.defaults().withTempDir(tmp.resolve("scratch")).withVersionRetention(VersionRetention.NONE));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    MountRequest mount() throws Exception {
        Path session = tmp.resolve("s" + ++sessions);
        return new MountRequest(
                CTX, "/home/project", Files.createDirectories(session.resolve("fs")), session.resolve("base"), null);
    }

    /** 200 small files in one pack, then 180 of them deleted: the pack is 10% live. */
    MountRequest mostlyDeadPack() throws Exception {
        MountRequest m = mount();
        for (int i = 0; i < 200; i++) {
            write(m.hostDir(), "f" + i, "content of file " + i + " " + "z".repeat(2_000 + i));
        }
        engine.uploadMount(m);
        for (int i = 20; i < 200; i++) {
            Files.delete(m.hostDir().resolve("f" + i));
        }
        engine.uploadMount(m);
        clock.advance(GRACE.multipliedBy(2));
        return m;
    }

    Set<String> referencedObjects() {
        Set<String> keys = new HashSet<>();
        engine.forEachEntry(CTX, e -> {
            if (e.blob() != null) {
                keys.add(e.blob().objectKey());
            }
        });
        return keys;
    }

    @Test
    void aMostlyDeadPack_isRewrittenWithItsLiveFilesOnly_andTheContextDownloadsTheSameBytes() throws Exception {
        MountRequest m = mostlyDeadPack();
        Set<String> before = referencedObjects();

        CompactResult result = engine.compactPacks(CTX, clock.instant().minus(GRACE), 0.5);

        assertThat(result.packsRewritten()).isEqualTo(1);
        assertThat(result.entriesMoved()).isEqualTo(20);
        assertThat(result.bytesCopied()).isLessThan(20 * 2_100L);
        assertThat(referencedObjects()).doesNotContainAnyElementsOf(before);
        MountRequest reader = mount();
        MountOutcome down = engine.downloadMount(reader);
        assertThat(down.complete()).as(down.message()).isTrue();
        assertThat(describe(reader.hostDir())).isEqualTo(describe(m.hostDir()));
    }

    @Test
    void theOldPack_isCollectedOnceTheGracePeriodPassed_andNothingLiveIsLost() throws Exception {
        MountRequest m = mostlyDeadPack();
        String oldPack = referencedObjects().iterator().next();
        engine.compactPacks(CTX, clock.instant().minus(GRACE), 0.5);

        engine.collectGarbage(CTX, clock.instant().minus(GRACE));
        assertThat(memory.exists(oldPack))
                .as("a reader may still be on the head before the compaction")
                .isTrue();
        clock.advance(GRACE.multipliedBy(2));
        GcResult later = engine.collectGarbage(CTX, clock.instant().minus(GRACE));

        assertThat(memory.exists(oldPack)).isFalse();
        assertThat(later.bytesReclaimed()).isGreaterThan(150 * 2_000L);
        MountRequest reader = mount();
        assertThat(engine.downloadMount(reader).complete()).isTrue();
        assertThat(describe(reader.hostDir())).isEqualTo(describe(m.hostDir()));
    }

    @Test
    void aRetainedVersionOnTheOldPack_keepsItThroughCollections() throws Exception {
        engine.close();
        engine = SyncEngine.create(
                memory,
                heads,
                clock,
                SyncOptions.defaults()
                        .withTempDir(tmp.resolve("scratch-v"))
                        .withVersionRetention(VersionRetention.DEFAULT));
        mostlyDeadPack();
        String oldPack = referencedObjects().iterator().next();
        engine.compactPacks(CTX, clock.instant().minus(GRACE), 0.5);

        clock.advance(GRACE.multipliedBy(2));
        engine.collectGarbage(CTX, clock.instant().minus(GRACE));

        assertThat(memory.exists(oldPack))
                .as("the versions before the compaction still use it")
                .isTrue();
    }

    @Test
    void packsMostlyLive_orYoungerThanTheCutoff_areLeftAlone() throws Exception {
        MountRequest m = mount();
        for (int i = 0; i < 50; i++) {
            write(m.hostDir(), "f" + i, "live " + i + " " + "q".repeat(3_000));
        }
        engine.uploadMount(m);
        Files.delete(m.hostDir().resolve("f0"));
        engine.uploadMount(m);

        CompactResult young = engine.compactPacks(CTX, clock.instant().minus(GRACE), 0.5);
        clock.advance(GRACE.multipliedBy(2));
        CompactResult live = engine.compactPacks(CTX, clock.instant().minus(GRACE), 0.5);

        assertThat(young.packsRewritten()).isZero();
        assertThat(live.packsRewritten()).as("98% live").isZero();
        assertThat(heads.head(CTX).generation()).isEqualTo(2);
    }

    @Test
    void aCommitRacingTheCompaction_keepsItsChanges_andTheUntouchedFilesMove() throws Exception {
        MountRequest m = mostlyDeadPack();
        AtomicBoolean raced = new AtomicBoolean();
        // The compaction's store lets another session commit while the compaction reads the old pack.
        TestTrees.ForwardingStore racing = new TestTrees.ForwardingStore(memory) {
            @Override
            public java.io.InputStream get(String key) {
                if (key.startsWith("blobs/") && raced.compareAndSet(false, true)) {
                    try {
                        write(m.hostDir(), "f3", "changed meanwhile");
                        Files.delete(m.hostDir().resolve("f4"));
                        write(m.hostDir(), "added", "added meanwhile");
                        engine.uploadMount(m);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return super.get(key);
            }
        };
        try (SyncEngine compactor =
                SyncEngine.create(racing, heads, clock, SyncOptions.defaults().withTempDir(tmp.resolve("scratch-c")))) {
            CompactResult result = compactor.compactPacks(CTX, clock.instant().minus(GRACE), 0.5);
            assertThat(result.entriesMoved()).as("f3 and f4 changed meanwhile").isEqualTo(18);
        }

        assertThat(raced).isTrue();
        MountRequest reader = mount();
        assertThat(engine.downloadMount(reader).complete()).isTrue();
        assertThat(describe(reader.hostDir())).isEqualTo(describe(m.hostDir()));
        assertThat(Files.readString(reader.hostDir().resolve("f3"))).isEqualTo("changed meanwhile");
        assertThat(reader.hostDir().resolve("f4")).doesNotExist();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8, 9})
    void afterAnySequenceOfUploadsCompactionsAndCollections_theHeadDownloadsWhole(long seed) throws Exception {
        Random random = new Random(seed);
        MountRequest m = mount();
        int rewritten = 0;
        for (int round = 0; round < 10; round++) {
            for (int f = 0; f < 40; f++) {
                int dice = random.nextInt(4);
                if (dice == 0) {
                    Files.deleteIfExists(m.hostDir().resolve("f" + f));
                } else if (dice == 1) {
                    write(m.hostDir(), "f" + f, "r" + round + "-" + "y".repeat(random.nextInt(50_000)));
                }
            }
            engine.uploadMount(m);
            clock.advance(Duration.ofMinutes(random.nextInt(180)));
            if (random.nextBoolean()) {
                rewritten += engine.compactPacks(CTX, clock.instant().minus(GRACE), 0.2 + random.nextDouble() * 0.7)
                        .packsRewritten();
            }
            if (random.nextBoolean()) {
                engine.collectGarbage(CTX, clock.instant().minus(GRACE));
            }
            MountRequest reader = mount();
            MountOutcome down = engine.downloadMount(reader);
            assertThat(down.complete())
                    .as("round %d: %s", round, down.message())
                    .isTrue();
            assertThat(describe(reader.hostDir())).as("round %d", round).isEqualTo(describe(m.hostDir()));
        }
        List<ObjectInfo> left = memory.list("blobs/");
        assertThat(left).isNotEmpty();
        assertThat(rewritten).as("the sequence rewrote packs").isPositive();
    }
}
