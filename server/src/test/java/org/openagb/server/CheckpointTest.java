package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openagb.server.internal.context.ContextStore;
import org.openagb.server.internal.db.Database;

/**
 * Periodic checkpoints: a running session's auto-upload mounts are committed every interval, so another session sees
 * the work before the first one is released, and a lost node loses at most one interval.
 */
class CheckpointTest extends ServerTestBase {
    static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(500);

    /** The context's committed generation, read from the server's metadata database. */
    static long generation(String ctx) {
        try (Database db = Database.open(
                config.dataDir(), config.databaseUrl(), config.databaseUser(), config.databasePassword())) {
            return new ContextStore(db.jdbi(), java.time.Clock.systemUTC())
                    .byIdAnyTenant(ctx)
                    .orElseThrow()
                    .generation();
        }
    }

    static boolean contextHas(String ctx, String parent, String name) {
        WireClient.Reply listing =
                wire.post("/sdk/DescribeContextFiles", Map.of("contextId", ctx, "parentFolderPath", parent), null);
        return listing.data().findValuesAsText("fileName").contains(name);
    }

    static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            WireClient.sleep(100);
        }
    }

    @Test
    void aRunningSessionsWork_isCommittedWithoutARelease() {
        String ctx = wire.context("checkpoint-visible");
        String session = wire.session(ctx, "/home/cp", DEFAULT_POLICY);

        wire.shell(session, "echo saved > /home/cp/work.txt");
        await(() -> contextHas(ctx, "/home/cp", "work.txt"), "the checkpoint of work.txt");

        String reader = wire.session(
                ctx,
                "/home/cp2",
                "{\"mappingPolicy\": {\"path\": \"/home/cp\"}," + " \"uploadPolicy\": {\"autoUpload\": false}}");
        assertThat(wire.shell(reader, "cat /home/cp2/work.txt")).isEqualTo("saved\n");
        wire.release(reader);
        wire.release(session);
    }

    @Test
    void aCheckpointWithNothingChanged_commitsNothing() {
        String ctx = wire.context("checkpoint-idle");
        String session = wire.session(ctx, "/home/idle", DEFAULT_POLICY);
        wire.shell(session, "echo once > /home/idle/a.txt");
        await(() -> contextHas(ctx, "/home/idle", "a.txt"), "the first checkpoint");
        long after = generation(ctx);

        WireClient.sleep(4 * CHECKPOINT_INTERVAL.toMillis());

        assertThat(generation(ctx)).as("several intervals without a change").isEqualTo(after);
        wire.release(session);
    }

    @Test
    void aMountWithItsOwnUploadPeriod_isCheckpointedOncePerPeriod_notEveryServerInterval() {
        String ctx = wire.context("checkpoint-period");
        String session = wire.session(
                ctx,
                "/home/slow",
                "{\"uploadPolicy\": {\"autoUpload\": true, \"period\": 1}}",
                ctx,
                "/home/fast",
                DEFAULT_POLICY);
        // The first tick after the create checkpoints both mounts (nothing written yet); the next one of the slow
        // mount is a minute later.
        WireClient.sleep(3 * CHECKPOINT_INTERVAL.toMillis());

        wire.shell(session, "echo second > /home/slow/second.txt; echo other > /home/fast/other.txt");
        await(() -> contextHas(ctx, "/home/fast", "other.txt"), "the other mount's checkpoint");
        WireClient.sleep(4 * CHECKPOINT_INTERVAL.toMillis());

        assertThat(contextHas(ctx, "/home/slow", "second.txt"))
                .as("a period of 1 minute: no second checkpoint within seconds")
                .isFalse();
        wire.release(session);
        assertThat(contextHas(ctx, "/home/slow", "second.txt"))
                .as("the release uploads it")
                .isTrue();
    }

    @Test
    void anUploadPeriodOutOfRange_isRefusedNamingItsUnit() {
        WireClient.Reply refused = wire.createSession(Map.of(
                "persistenceDataList",
                java.util.List.of(Map.of(
                        "contextId",
                        wire.context("checkpoint-bad-period"),
                        "path",
                        "/home/bad",
                        "policy",
                        "{\"uploadPolicy\": {\"period\": 0}}"))));

        assertThat(refused.success()).isFalse();
        assertThat(refused.message()).contains("period 0").contains("minutes, 1 to 1440");
    }

    @Test
    void aReadOnlyMount_isNeverCheckpointed() {
        String ctx = wire.context("checkpoint-read-only");
        String session = wire.session(ctx, "/home/ro", "{\"uploadPolicy\": {\"autoUpload\": false}}");
        wire.shell(session, "echo local > /home/ro/local.txt");

        WireClient.sleep(4 * CHECKPOINT_INTERVAL.toMillis());

        assertThat(contextHas(ctx, "/home/ro", "local.txt")).isFalse();
        assertThat(wire.tasks(session).findValuesAsText("taskType")).doesNotContain("upload");
        wire.release(session);
    }
}
