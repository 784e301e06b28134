package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openagb.server.internal.context.ContextKind;
import org.openagb.server.internal.context.ContextRecord;
import org.openagb.server.internal.context.ContextStore;
import org.openagb.server.internal.db.Database;
import org.openagb.server.internal.keys.ApiKeyStore;
import org.openagb.server.internal.sync.SyncDirection;
import org.openagb.server.internal.sync.TaskStatus;
import org.openagb.server.internal.sync.TaskStore;

/**
 * Races on the metadata database, as between two servers sharing it: a second {@link Database} is opened on the
 * running server's metadata (same SQLite file, or same PostgreSQL database in {@link MetadataRacePostgresTest}),
 * and threads on both race the server and each other.
 */
class MetadataRaceTest extends ServerTestBase {
    private static final int ROUNDS = 40;

    static Database second;
    static ContextStore secondStore;
    static ExecutorService pool;

    @BeforeAll
    static void openSecondDatabase() {
        second =
                Database.open(config.dataDir(), config.databaseUrl(), config.databaseUser(), config.databasePassword());
        secondStore = new ContextStore(second.jdbi(), Clock.systemUTC());
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    static void closeSecondDatabase() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void getOrCreate_twoThreadsSameName_bothGetTheOneContext() throws Exception {
        // The server's tenant, so the wire sees the contexts the store creates.
        String tenant = tenantOfKey();
        for (int round = 0; round < ROUNDS; round++) {
            String name = "race-" + round;
            List<String> ids = race(
                    () -> secondStore
                            .getOrCreate(tenant, name, ContextKind.USER, null)
                            .id(),
                    () -> secondStore
                            .getOrCreate(tenant, name, ContextKind.USER, null)
                            .id());
            assertThat(ids.get(0)).as("round %d", round).isEqualTo(ids.get(1));
        }
        assertThat(secondStore.countUserContexts(tenant)).isGreaterThanOrEqualTo(ROUNDS);
        assertThat(wire.context("race-7"))
                .isEqualTo(secondStore.byName(tenant, "race-7").orElseThrow().id());
    }

    @Test
    void getContextAllowCreate_concurrentRequestsAndASecondServer_allAnswerTheSameId() throws Exception {
        String tenant = tenantOfKey();
        for (int round = 0; round < 10; round++) {
            String name = "wire-race-" + round;
            List<Future<String>> futures = new ArrayList<>();
            CyclicBarrier start = new CyclicBarrier(4);
            for (int i = 0; i < 3; i++) {
                futures.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return wire.context(name);
                }));
            }
            futures.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return secondStore
                        .getOrCreate(tenant, name, ContextKind.USER, null)
                        .id();
            }));
            Set<String> ids = ConcurrentHashMap.newKeySet();
            for (Future<String> f : futures) {
                ids.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(ids).as("round %d", round).hasSize(1);
        }
    }

    @Test
    void compareAndSetHead_twoWritersFromOneGeneration_exactlyOneWins() throws Exception {
        String tenant = tenantOfKey();
        String id = secondStore
                .getOrCreate(tenant, "cas-once", ContextKind.USER, null)
                .id();
        ContextStore first = new ContextStore(second.jdbi(), Clock.systemUTC());
        for (int round = 0; round < ROUNDS; round++) {
            long expected = round;
            List<Boolean> won = race(
                    () -> first.compareAndSetHead(id, expected, expected + 1, "a-" + expected, "File", null, null),
                    () -> secondStore.compareAndSetHead(
                            id, expected, expected + 1, "b-" + expected, "File", null, null));
            assertThat(won).as("round %d", round).containsExactlyInAnyOrder(true, false);
        }
        ContextRecord head = secondStore.byIdAnyTenant(id).orElseThrow();
        assertThat(head.generation()).isEqualTo(ROUNDS);
        assertThat(head.manifestKey()).endsWith("-" + (ROUNDS - 1));
    }

    @Test
    void compareAndSetHead_retryingWriters_neverLoseACommit() throws Exception {
        String tenant = tenantOfKey();
        String id = secondStore
                .getOrCreate(tenant, "cas-loop", ContextKind.USER, null)
                .id();
        Set<Long> committed = ConcurrentHashMap.newKeySet();
        int perWriter = 60;
        List<Integer> duplicates =
                race(() -> commitLoop(id, "a", perWriter, committed), () -> commitLoop(id, "b", perWriter, committed));
        assertThat(duplicates).containsOnly(0);
        assertThat(committed).hasSize(2 * perWriter);
        assertThat(secondStore.byIdAnyTenant(id).orElseThrow().generation()).isEqualTo(2L * perWriter);
    }

    @Test
    void taskPut_twoThreadsSameKey_upsertsWithoutConflict() throws Exception {
        TaskStore tasks = new TaskStore(second.jdbi());
        for (int round = 0; round < ROUNDS; round++) {
            int r = round;
            race(
                    () -> {
                        tasks.put(new TaskStore.Task(
                                "s-race", "c", "/p", SyncDirection.UPLOAD, TaskStatus.RUNNING, "", r, 0));
                        return true;
                    },
                    () -> {
                        tasks.put(new TaskStore.Task(
                                "s-race", "c", "/p", SyncDirection.UPLOAD, TaskStatus.SUCCESS, "", r, r + 1));
                        return true;
                    });
        }
        assertThat(tasks.forSession("s-race")).hasSize(1);
        tasks.deleteSession("s-race");
    }

    private static int commitLoop(String id, String writer, int commits, Set<Long> committed) {
        int duplicates = 0;
        for (int done = 0; done < commits; ) {
            long g = secondStore.byIdAnyTenant(id).orElseThrow().generation();
            if (secondStore.compareAndSetHead(id, g, g + 1, writer + "-" + g, null, null, null)) {
                if (!committed.add(g + 1)) {
                    duplicates++;
                }
                done++;
            }
        }
        return duplicates;
    }

    private static String tenantOfKey() {
        // The bootstrap key is the only key: its id is the tenant.
        return new ApiKeyStore(second.jdbi(), Clock.systemUTC())
                .authenticate(key)
                .orElseThrow();
    }

    /** Runs both tasks at once (released together by a barrier) and returns their results in order. */
    private static <T> List<T> race(java.util.concurrent.Callable<T> a, java.util.concurrent.Callable<T> b)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<T> fa = pool.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return a.call();
        });
        Future<T> fb = pool.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return b.call();
        });
        return List.of(fa.get(60, TimeUnit.SECONDS), fb.get(60, TimeUnit.SECONDS));
    }
}
