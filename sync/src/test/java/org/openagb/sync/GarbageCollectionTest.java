package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sync.TestTrees.describe;
import static org.openagb.sync.TestTrees.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
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
 * Garbage collection: what nothing references goes once older than the grace period; what a head, a recent
 * manifest, a reader on the head current at the cutoff, or an upload in flight needs stays.
 */
class GarbageCollectionTest {
    static final String CTX = "SdkCtx-gc";
    static final String MOUNT = "/home/project";
    static final Duration GRACE = Duration.ofHours(1);

    /** A clock the test moves. */
    static final class Movable extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @TempDir
    Path tmp;

    Movable clock;
    InMemoryObjectStore memory;
    InMemoryContextHeads heads;
    SyncEngine engine;
    int sessions;

    @BeforeEach
    void setUp() {
        clock = new Movable();
        memory = new InMemoryObjectStore(clock);
        heads = new InMemoryContextHeads(clock);
        // these tests are about objects without version history; VersionsTest covers what retention keeps
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
                CTX, MOUNT, Files.createDirectories(session.resolve("fs")), session.resolve("base"), null);
    }

    GcResult collect() {
        return engine.collectGarbage(CTX, clock.instant().minus(GRACE));
    }

    List<String> blobs() {
        return memory.list("blobs/" + CTX + "/").stream().map(ObjectInfo::key).toList();
    }

    @Test
    void aSupersededVersion_isCollectedOnceOlderThanTheGracePeriod_andTheHeadStillDownloads() throws Exception {
        MountRequest m = mount();
        write(m.hostDir(), "big.bin", "v1".repeat(600_000)); // its own blob
        engine.uploadMount(m);
        List<String> first = blobs();
        write(m.hostDir(), "big.bin", "v2".repeat(600_000));
        engine.uploadMount(m);

        GcResult tooEarly = collect();
        clock.advance(GRACE.plusMinutes(1));
        GcResult later = collect();
        MountRequest reader = mount();
        engine.downloadMount(reader);

        assertThat(tooEarly.blobsDeleted()).isZero();
        assertThat(later.blobsDeleted()).isEqualTo(1);
        assertThat(later.manifestsDeleted()).isEqualTo(1);
        assertThat(later.bytesReclaimed()).isGreaterThan(1_200_000);
        assertThat(blobs()).doesNotContainAnyElementsOf(first);
        assertThat(describe(reader.hostDir())).isEqualTo(describe(m.hostDir()));
    }

    @Test
    void theHeadCurrentWhenTheGracePeriodBegan_keepsItsBlobs_forAReaderStillOnIt() throws Exception {
        MountRequest m = mount();
        write(m.hostDir(), "a.bin", "a".repeat(2_000_000));
        engine.uploadMount(m);
        List<String> old = blobs();
        clock.advance(Duration.ofMinutes(90));
        write(m.hostDir(), "a.bin", "b".repeat(2_000_000));
        engine.uploadMount(m); // committed 30 minutes ago, when collect() runs below
        clock.advance(Duration.ofMinutes(30));

        GcResult r = collect();

        assertThat(r.blobsDeleted()).isZero();
        assertThat(blobs()).containsAll(old);
    }

    @Test
    void anUnreferencedYoungBlob_anUploadInFlight_isKept() throws Exception {
        clock.advance(GRACE.multipliedBy(3));
        byte[] pending = "written by an upload that has not committed yet".getBytes();
        memory.put("blobs/" + CTX + "/in-flight", new java.io.ByteArrayInputStream(pending), pending.length);

        GcResult r = collect();

        assertThat(r.keptYoung()).isEqualTo(1);
        assertThat(blobs()).contains("blobs/" + CTX + "/in-flight");
    }

    @Test
    void aCommitRacingTheCollector_neverLosesABlob() throws Exception {
        MountRequest writer = mount();
        write(writer.hostDir(), "old.txt", "old");
        engine.uploadMount(writer);
        clock.advance(GRACE.multipliedBy(2));
        // The collector's engine sees a store whose blob listing lets another session commit right then.
        AtomicBoolean raced = new AtomicBoolean();
        TestTrees.ForwardingStore racing = new TestTrees.ForwardingStore(memory) {
            @Override
            public List<ObjectInfo> list(String prefix) {
                if (prefix.startsWith("blobs/") && raced.compareAndSet(false, true)) {
                    try {
                        write(writer.hostDir(), "new.txt", "new content " + "x".repeat(10_000));
                        write(writer.hostDir(), "old.txt", "changed");
                        engine.uploadMount(writer);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return super.list(prefix);
            }
        };
        try (SyncEngine collector = SyncEngine.create(
                racing,
                heads,
                clock,
                SyncOptions.defaults()
                        .withTempDir(tmp.resolve("scratch-gc"))
                        .withVersionRetention(VersionRetention.NONE))) {
            collector.collectGarbage(CTX, clock.instant().minus(GRACE));
        }
        MountRequest reader = mount();
        MountOutcome down = engine.downloadMount(reader);

        assertThat(raced).isTrue();
        assertThat(down.complete()).as(down.message()).isTrue();
        assertThat(describe(reader.hostDir())).isEqualTo(describe(writer.hostDir()));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void afterAnySequenceOfUploadsAndCollections_theHeadAlwaysDownloadsWhole(long seed) throws Exception {
        Random random = new Random(seed);
        MountRequest m = mount();
        for (int round = 0; round < 12; round++) {
            for (int f = 0; f < 5; f++) {
                if (random.nextInt(3) == 0) {
                    Files.deleteIfExists(m.hostDir().resolve("f" + f));
                } else {
                    write(m.hostDir(), "f" + f, "r" + round + "-" + "y".repeat(random.nextInt(3_000_000)));
                }
            }
            engine.uploadMount(m);
            clock.advance(Duration.ofMinutes(random.nextInt(120)));
            if (random.nextBoolean()) {
                collect();
            }
            MountRequest reader = mount();
            MountOutcome down = engine.downloadMount(reader);
            assertThat(down.complete())
                    .as("round %d: %s", round, down.message())
                    .isTrue();
            assertThat(describe(reader.hostDir())).as("round %d", round).isEqualTo(describe(m.hostDir()));
        }
    }
}
