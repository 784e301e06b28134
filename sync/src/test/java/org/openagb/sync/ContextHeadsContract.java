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
        } finally {
            pool.shutdownNow();
        }
    }
}
