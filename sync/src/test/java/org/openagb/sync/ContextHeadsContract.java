package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openagb.model.UploadMode;

/**
 * What every {@link ContextHeads} must do, run on each implementation: in-memory here, SQLite and PostgreSQL in
 * the server. Subclasses say how to make one and how to create a context it can hold a head for.
 */
public abstract class ContextHeadsContract {

    /** The implementation under test; the same instance for the whole test method. */
    protected abstract ContextHeads heads();

    /** A new context id that {@link #heads()} can keep a head for (created in the database, if it needs a row). */
    protected abstract String newContext();

    @Test
    void aContextNeverCommitted_hasTheEmptyHead() {
        assertThat(heads().head(newContext())).isEqualTo(Head.EMPTY);
    }

    @Test
    void compareAndSet_onTheExpectedGeneration_replacesGenerationManifestAndMode() {
        String ctx = newContext();

        boolean first = heads().compareAndSet(ctx, 0, new Head(1, "manifests/" + ctx + "/1", null));
        boolean second = heads().compareAndSet(ctx, 1, new Head(2, "manifests/" + ctx + "/2", UploadMode.ARCHIVE));

        assertThat(first).isTrue();
        assertThat(second).isTrue();
        assertThat(heads().head(ctx)).isEqualTo(new Head(2, "manifests/" + ctx + "/2", UploadMode.ARCHIVE));
    }

    @Test
    void compareAndSet_onAStaleGeneration_changesNothing() {
        String ctx = newContext();
        heads().compareAndSet(ctx, 0, new Head(1, "manifests/" + ctx + "/1", UploadMode.FILE));

        boolean stale = heads().compareAndSet(ctx, 0, new Head(1, "manifests/" + ctx + "/other", UploadMode.ARCHIVE));

        assertThat(stale).isFalse();
        assertThat(heads().head(ctx)).isEqualTo(new Head(1, "manifests/" + ctx + "/1", UploadMode.FILE));
    }

    @Test
    void anEmptyManifest_afterAClear_keepsTheGenerationAndTheMode() {
        String ctx = newContext();
        heads().compareAndSet(ctx, 0, new Head(1, "manifests/" + ctx + "/1", UploadMode.FILE));

        heads().compareAndSet(ctx, 1, new Head(2, null, UploadMode.FILE));

        assertThat(heads().head(ctx)).isEqualTo(new Head(2, null, UploadMode.FILE));
    }

    @Test
    void contexts_haveSeparateHeads() {
        String a = newContext();
        String b = newContext();

        heads().compareAndSet(a, 0, new Head(1, "manifests/" + a + "/1", UploadMode.ARCHIVE));

        assertThat(heads().head(b)).isEqualTo(Head.EMPTY);
        assertThat(heads().compareAndSet(b, 0, new Head(1, "manifests/" + b + "/1", UploadMode.FILE)))
                .isTrue();
        assertThat(heads().head(a).mode()).isEqualTo(UploadMode.ARCHIVE);
    }

    @Test
    void aWinningCommit_isRecordedAsAVersion_withItsStats_newestFirst() {
        String ctx = newContext();
        heads().compareAndSet(ctx, 0, new Head(1, "manifests/" + ctx + "/1", null), new VersionStats(3, 300));
        heads().compareAndSet(ctx, 1, new Head(2, "manifests/" + ctx + "/2", UploadMode.FILE), new VersionStats(4, 0));
        heads().compareAndSet(ctx, 2, new Head(3, null, UploadMode.FILE), new VersionStats(0, 0));

        List<ContextVersion> versions = heads().versions(ctx);

        assertThat(versions)
                .extracting(ContextVersion::head)
                .containsExactly(
                        new Head(3, null, UploadMode.FILE),
                        new Head(2, "manifests/" + ctx + "/2", UploadMode.FILE),
                        new Head(1, "manifests/" + ctx + "/1", null));
        assertThat(versions)
                .extracting(ContextVersion::stats)
                .containsExactly(new VersionStats(0, 0), new VersionStats(4, 0), new VersionStats(3, 300));
        assertThat(versions.get(0).committedAt())
                .isAfterOrEqualTo(versions.get(2).committedAt());
    }

    @Test
    void aLosingCommit_leavesNoVersion() {
        String ctx = newContext();
        heads().compareAndSet(ctx, 0, new Head(1, "manifests/" + ctx + "/1", null), new VersionStats(1, 1));

        heads().compareAndSet(ctx, 0, new Head(1, "manifests/" + ctx + "/lost", null), new VersionStats(9, 9));

        assertThat(heads().versions(ctx)).singleElement().satisfies(v -> {
            assertThat(v.manifestKey()).isEqualTo("manifests/" + ctx + "/1");
            assertThat(v.stats()).isEqualTo(new VersionStats(1, 1));
        });
    }

    @Test
    void aCommitWithoutStats_isRecordedWithUnknownStats() {
        String ctx = newContext();

        heads().compareAndSet(ctx, 0, new Head(1, "manifests/" + ctx + "/1", null));

        assertThat(heads().versions(ctx))
                .singleElement()
                .extracting(ContextVersion::stats)
                .isEqualTo(VersionStats.UNKNOWN);
    }

    @Test
    void forgetVersions_removesOnlyTheNamedGenerations_ofThatContext() {
        String ctx = newContext();
        String other = newContext();
        for (long g = 1; g <= 4; g++) {
            heads().compareAndSet(ctx, g - 1, new Head(g, "manifests/" + ctx + "/" + g, null), new VersionStats(g, g));
        }
        heads().compareAndSet(other, 0, new Head(1, "manifests/" + other + "/1", null), new VersionStats(1, 1));

        int forgotten = heads().forgetVersions(ctx, List.of(1L, 2L, 99L));

        assertThat(forgotten).isEqualTo(2);
        assertThat(heads().versions(ctx)).extracting(ContextVersion::generation).containsExactly(4L, 3L);
        assertThat(heads().versions(other))
                .extracting(ContextVersion::generation)
                .containsExactly(1L);
        assertThat(heads().versions(newContext())).isEmpty();
    }

    @Test
    void racingCommits_onTheSameGeneration_exactlyOneWins_everyRound() throws Exception {
        String ctx = newContext();
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (long generation = 0; generation < 20; generation++) {
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long expected = generation;
                    String key = "manifests/" + ctx + "/" + (generation + 1) + "-" + t;
                    results.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return heads().compareAndSet(ctx, expected, new Head(expected + 1, key, UploadMode.FILE));
                    }));
                }
                int winners = 0;
                for (Future<Boolean> r : results) {
                    winners += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners)
                        .as("winners of generation %d", generation + 1)
                        .isEqualTo(1);
                assertThat(heads().head(ctx).generation()).isEqualTo(generation + 1);
            }
            // one version per generation, each the head that won it
            List<ContextVersion> versions = heads().versions(ctx);
            assertThat(versions)
                    .extracting(ContextVersion::generation)
                    .doesNotHaveDuplicates()
                    .hasSize(20);
            assertThat(versions.get(0).head()).isEqualTo(heads().head(ctx));
        } finally {
            pool.shutdownNow();
        }
    }
}
