package org.openagb.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sync figures, each against a baseline run in the same process on the same tree. Not part of the default
 * test run: {@code mvn -pl server test -DexcludedGroups=none -Dgroups=benchmark -Dtest=SyncBenchmark}. Uses the npm corpus at
 * {@code $OPENAGB_BENCH_CORPUS} (a directory, e.g. a node_modules made as bench/README.md says) when set,
 * else a generated tree of 10,000 files with a median size of about 1 KB.
 */
@Tag("benchmark")
class SyncBenchmark extends ServerTestBase {

    @Test
    void sessionCreateToReady_latency() {
        String ctx = wire.context("bench-latency");
        String seed = wire.session(ctx, "/home/b", DEFAULT_POLICY);
        wire.shell(seed, "mkdir -p /home/b/src && for i in $(seq 1 20); do echo $i > /home/b/src/f$i; done");
        wire.release(seed);
        for (boolean withMount : new boolean[] {false, true}) {
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                long t0 = System.nanoTime();
                String id = withMount ? wire.session(ctx, "/home/b", DEFAULT_POLICY) : wire.session();
                wire.shell(id, "true");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (i >= 5) {
                    times.add(ms); // the first five warm the JIT
                }
                wire.release(id);
            }
            Collections.sort(times);
            System.out.printf(
                    "BENCH create->ready (%s): p50=%d ms p95=%d ms (n=%d)%n",
                    withMount ? "one mount, 20 files" : "no mount",
                    times.get(times.size() / 2),
                    times.get((int) (times.size() * 0.95)),
                    times.size());
        }
    }

    @Test
    void sessionsCreatedPerSecond_withAndWithoutAMount() throws Exception {
        String ctx = wire.context("bench-rate");
        String seed = wire.session(ctx, "/home/r", DEFAULT_POLICY);
        wire.shell(seed, "mkdir -p /home/r && for i in $(seq 1 20); do echo $i > /home/r/f$i; done");
        wire.release(seed);
        for (boolean withMount : new boolean[] {false, true}) {
            for (int threads : new int[] {1, 4}) {
                int perThread = 10;
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
                List<java.util.concurrent.Future<List<String>>> futures = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        List<String> ids = new ArrayList<>();
                        for (int i = 0; i < perThread; i++) {
                            ids.add(withMount ? wire.session(ctx, "/home/r", DEFAULT_POLICY) : wire.session());
                        }
                        return ids;
                    }));
                }
                List<String> all = new ArrayList<>();
                for (var f : futures) {
                    all.addAll(f.get());
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                pool.shutdown();
                System.out.printf(
                        "BENCH sessions created per second (%s, %d client thread(s)): %.1f/s (%d in %.2f s)%n",
                        withMount ? "one mount, 20 files, ready" : "no mount",
                        threads,
                        all.size() / seconds,
                        all.size(),
                        seconds);
                for (String id : all) {
                    wire.post("/mcp/releaseSessionAsync", Map.of(), Map.of("sessionId", id));
                }
                for (String id : all) {
                    wire.awaitGone(id, 60_000);
                }
            }
        }
    }

    @Test
    void manySmallFiles_uploadAndDownload_againstCpAndRsync() throws Exception {
        Path tree = Files.createTempDirectory("bench-tree");
        String corpus = System.getenv("OPENAGB_BENCH_CORPUS");
        if (corpus != null && !corpus.isBlank()) {
            run("cp", "-a", corpus, tree.resolve("t").toString());
        } else {
            generate(tree.resolve("t"), 10_000, 42);
        }
        long files = count(tree.resolve("t"));
        long bytes = size(tree.resolve("t"));
        String ctx = wire.context("bench-small");
        String session = wire.session(ctx, "/home/w", DEFAULT_POLICY);
        Path hostMount = dataDir.resolve("sessions").resolve(session).resolve("fs/home/w");
        run("cp", "-a", tree.resolve("t").toString(), hostMount.resolve("t").toString());
        run("sync");

        long up = timed(() -> wire.sync(session));
        long noChange = timed(() -> wire.sync(session));
        wire.release(session);
        long t0 = System.nanoTime();
        String second = wire.session(ctx, "/home/w", DEFAULT_POLICY);
        long down = (System.nanoTime() - t0) / 1_000_000;
        wire.release(second);

        Path copyTarget = Files.createTempDirectory("bench-cp");
        long cp = timed(() -> run(
                "cp",
                "-a",
                tree.resolve("t").toString(),
                copyTarget.resolve("t").toString()));
        Path rsyncTarget = Files.createTempDirectory("bench-rsync");
        long rsync = hasCommand("rsync")
                ? timed(() -> run(
                        "rsync",
                        "-a",
                        tree.resolve("t") + "/",
                        rsyncTarget.resolve("t").toString()))
                : -1;
        long rsyncNoChange = hasCommand("rsync")
                ? timed(() -> run(
                        "rsync",
                        "-a",
                        tree.resolve("t") + "/",
                        rsyncTarget.resolve("t").toString()))
                : -1;
        System.out.printf("BENCH tree: %d files, %.1f MB%n", files, bytes / 1e6);
        System.out.printf("BENCH upload (File mode, first): %d ms; no-change upload: %d ms%n", up, noChange);
        System.out.printf("BENCH download (create->ready): %d ms%n", down);
        System.out.printf(
                "BENCH baseline cp -a: %d ms; rsync -a first: %d ms; rsync no-change: %d ms%n",
                cp, rsync, rsyncNoChange);
        if (rsync > 0) {
            System.out.printf(
                    "BENCH ratios: upload/rsync=%.2f download/rsync=%.2f no-change/rsync-no-change=%.2f%n",
                    (double) up / rsync, (double) down / rsync, (double) noChange / rsyncNoChange);
        }
        System.out.printf("BENCH ratios: upload/cp=%.2f download/cp=%.2f%n", (double) up / cp, (double) down / cp);
    }

    @Test
    void oneGigabyteFile_uploadAndDownload_againstCp() throws Exception {
        String ctx = wire.context("bench-big");
        String session = wire.session(ctx, "/home/big", DEFAULT_POLICY);
        long dd = timed(() -> wire.tool(
                session,
                "shell",
                Map.of(
                        "command",
                        "dd if=/dev/urandom of=/home/big/file bs=1M count=1024 status=none",
                        "timeout_ms",
                        120_000)));
        long up = timed(() -> wire.sync(session));
        wire.release(session);
        long t0 = System.nanoTime();
        String second = wire.session(ctx, "/home/big", DEFAULT_POLICY);
        long down = (System.nanoTime() - t0) / 1_000_000;
        Path host = dataDir.resolve("sessions").resolve(second).resolve("fs/home/big/file");
        Path copy = Files.createTempFile("bench-copy", ".bin");
        long cp = timed(() -> run("cp", host.toString(), copy.toString()));
        Files.delete(copy);
        wire.release(second);
        System.out.printf(
                "BENCH 1 GiB file: dd in sandbox %d ms; upload %d ms (%.0f MB/s); download %d ms (%.0f MB/s);"
                        + " cp baseline %d ms; upload/cp=%.2f download/cp=%.2f%n",
                dd,
                up,
                1073.7 / (up / 1000.0),
                down,
                1073.7 / (down / 1000.0),
                cp,
                (double) up / cp,
                (double) down / cp);
    }

    private interface Action {
        void run() throws Exception;
    }

    private static long timed(Action a) throws Exception {
        long t0 = System.nanoTime();
        a.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static JsonNode ignore(JsonNode n) {
        return n;
    }

    /** A tree shaped like a package directory: many dirs, median ~1 KB files, a few large ones. */
    static void generate(Path root, int files, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] words = "the quick brown fox jumps over the lazy dog function module export const return if else "
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < files; i++) {
            Path dir = root.resolve("pkg" + (i % 400)).resolve("lib" + (i % 7));
            Files.createDirectories(dir);
            double u = random.nextDouble();
            int size = u < 0.5
                    ? 200 + random.nextInt(900)
                    : u < 0.95 ? 1_000 + random.nextInt(9_000) : 20_000 + random.nextInt(200_000);
            byte[] content = new byte[size];
            for (int j = 0; j < size; j++) {
                content[j] = words[(j * 7 + random.nextInt(3)) % words.length];
            }
            Files.write(dir.resolve("file" + i + ".js"), content);
        }
    }

    private static long count(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private static long size(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    static boolean hasCommand(String name) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + name).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("command failed: " + String.join(" ", command));
        }
    }
}
