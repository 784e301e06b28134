package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole server over the wire against the tools a user would otherwise use, each figure paired with its baseline
 * run back to back in the same round: first File-mode upload vs {@code tar -cf - . | zstd -3 -T2} and {@code rsync -a}
 * into an empty dir; no-change upload vs rsync's no-change pass; download (createSession → every download task
 * Success) vs {@code rsync -a} into an empty dir and {@code cp -a}. Raw wire calls polled every 5 ms, not the SDKs'
 * 1-2 s polls. Then sessions: create → first command with 20 concurrent creates, and the {@code echo} tool call. Prints
 * every round and the median of the paired ratios.
 *
 * <p>Run: {@code OPENAGB_BENCH_CORPUS=<a node_modules> mvn -o -pl server -am test -Dtest=WireBenchmark
 * -DexcludedGroups=none -Dgroups=benchmark -Dsurefire.failIfNoSpecifiedTests=false} ({@code -Dbench.rounds=N}, 5).
 * Needs rsync and zstd.
 */
@Tag("benchmark")
class WireBenchmark extends ServerTestBase {
    private final Map<String, List<Double>> ratios = new LinkedHashMap<>();

    @Test
    void syncAndSessions_againstRsyncTarAndCp_pairedRatios() throws Exception {
        String corpus = System.getenv("OPENAGB_BENCH_CORPUS");
        assertThat(corpus)
                .as("set OPENAGB_BENCH_CORPUS to a tree, e.g. a node_modules made with npm ci (bench/)")
                .isNotBlank();
        assertThat(SyncBenchmark.hasCommand("rsync") && SyncBenchmark.hasCommand("zstd"))
                .as("WireBenchmark needs rsync and zstd: apt-get install -y rsync zstd")
                .isTrue();
        Path tree = Path.of(corpus);
        Path scratch = Files.createTempDirectory("wire-bench");
        int rounds = Integer.getInteger("bench.rounds", 5);
        sh("cat $(find " + tree + " -type f) > /dev/null 2>&1; true");
        for (int round = 1; round <= rounds; round++) {
            String ctx = wire.context("wire-bench-" + round);
            String writer = wire.session(ctx, "/home/w", DEFAULT_POLICY);
            Path hostMount = dataDir.resolve("sessions").resolve(writer).resolve("fs/home/w");
            sh("cp -a " + tree + "/. " + hostMount + "/ && sync");

            long up = timed(() -> syncAndWait(writer));
            long tarZstd = timed(() -> sh("cd " + tree + " && tar -cf - . | zstd -3 -T2 -q > /dev/null"));
            Path rs = scratch.resolve("rs" + round);
            long rsync = timed(() -> sh("rsync -a " + tree + "/ " + rs + "/"));
            long noChange = timed(() -> syncAndWait(writer));
            long rsyncNoChange = timed(() -> sh("rsync -a " + tree + "/ " + rs + "/"));
            wire.release(writer);

            String[] reader = new String[1];
            long down = timed(() -> reader[0] = createAndWait(ctx));
            Path rs2 = scratch.resolve("rsd" + round);
            long rsyncDown = timed(() -> sh("rsync -a " + tree + "/ " + rs2 + "/"));
            Path cp = scratch.resolve("cp" + round);
            long cpDown = timed(() -> sh("cp -a " + tree + " " + cp));
            wire.release(reader[0]);
            sh("rm -rf " + rs + " " + rs2 + " " + cp + " && sync");

            System.out.printf(
                    "WIRE round %d: upload %d ms | tar|zstd %d ms, rsync %d ms; no-change %d ms | rsync %d ms;"
                            + " download %d ms | rsync %d ms, cp -a %d ms%n",
                    round, up, tarZstd, rsync, noChange, rsyncNoChange, down, rsyncDown, cpDown);
            ratio("first upload / tar|zstd -3 -T2", up, tarZstd);
            ratio("first upload / rsync -a", up, rsync);
            ratio("no-change upload / rsync no-change", noChange, rsyncNoChange);
            ratio("download (create->ready) / rsync -a", down, rsyncDown);
            ratio("download (create->ready) / cp -a", down, cpDown);
        }
        sessions();
        System.out.println("WIRE median paired ratios over " + rounds + " rounds:");
        ratios.forEach((what, r) -> System.out.printf("WIRE   %-40s %.2fx  %s%n", what, median(r), r));
    }

    /** Create → first command with 20 concurrent creates (no mount), and the echo tool call, p50 / p99. */
    private void sessions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Long> createToFirst = Collections.synchronizedList(new ArrayList<>());
        List<String> created = Collections.synchronizedList(new ArrayList<>());
        for (int wave = 0; wave < 3; wave++) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit((Callable<Void>) () -> {
                    long t0 = System.nanoTime();
                    WireClient.Reply r = wire.createSession(Map.of());
                    String id = r.data().path("sessionId").asText();
                    wire.shell(id, "echo hi");
                    createToFirst.add(System.nanoTime() - t0);
                    created.add(id);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            for (String id : List.copyOf(created)) {
                wire.post("/mcp/releaseSession", Map.of(), Map.of("sessionId", id));
            }
            created.clear();
        }
        pool.shutdown();
        String one = wire.session();
        for (int i = 0; i < 30; i++) {
            wire.shell(one, "echo warm");
        }
        List<Long> echo = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long t0 = System.nanoTime();
            wire.shell(one, "echo hi");
            echo.add(System.nanoTime() - t0);
        }
        wire.release(one);
        System.out.printf(
                "WIRE create->first command, 20 concurrent creates x 3: p50 %.1f ms, p99 %.1f ms (n=%d)%n",
                pct(createToFirst, 50), pct(createToFirst, 99), createToFirst.size());
        System.out.printf(
                "WIRE shell echo tool call: p50 %.2f ms, p99 %.2f ms (n=300)%n", pct(echo, 50), pct(echo, 99));
    }

    /** SyncContext (upload), then GetContextInfo every 5 ms until its tasks ended. */
    private static void syncAndWait(String session) {
        WireClient.Reply r = wire.post("/sdk/SyncContext", Map.of("sessionId", session), null);
        assertThat(r.success()).as(r.body().toString()).isTrue();
        awaitTasks(session);
    }

    /** createSession mounting ctx, then GetContextInfo every 5 ms until every download task ended. */
    private static String createAndWait(String ctx) {
        WireClient.Reply r = wire.createSession(Map.of(
                "persistenceDataList", List.of(Map.of("contextId", ctx, "path", "/home/w", "policy", DEFAULT_POLICY))));
        assertThat(r.success()).as(r.body().toString()).isTrue();
        String id = r.data().path("sessionId").asText();
        awaitTasks(id);
        return id;
    }

    private static void awaitTasks(String session) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode items = wire.tasks(session);
            boolean done = items.size() > 0;
            for (JsonNode item : items) {
                String s = item.path("status").asText();
                if (s.equals("Failed")) {
                    throw new AssertionError("task failed: " + item);
                }
                done &= s.equals("Success");
            }
            if (done) {
                return;
            }
            WireClient.sleep(5);
        }
        throw new AssertionError("tasks of " + session + " did not end");
    }

    private void ratio(String what, long ours, long baseline) {
        ratios.computeIfAbsent(what, k -> new ArrayList<>()).add(Math.round(100.0 * ours / baseline) / 100.0);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** The p-th percentile of durations in nanoseconds, in milliseconds. */
    static double pct(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static long timed(Body body) throws Exception {
        long t0 = System.nanoTime();
        body.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("failed: " + command);
        }
    }
}
