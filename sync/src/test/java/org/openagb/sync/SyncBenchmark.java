package org.openagb.sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.storage.InMemoryObjectStore;
import org.openagb.storage.LocalObjectStore;
import org.openagb.storage.ObjectStore;

/**
 * File-mode download and no-change upload of the tree in {@code $OPENAGB_BENCH_CORPUS} (e.g. an npm node_modules) against
 * {@code cp -a}, {@code tar | tar} and {@code rsync -a} in the same run, interleaved, best of N. Excluded from the
 * default build; run with {@code mvn -o -pl sync test -Dtest=SyncBenchmark -Dsync.excludedGroups=none}
 * ({@code -Dbench.tree=DIR} for another tree, {@code -Dbench.rounds=N}).
 */
@Tag("benchmark")
class SyncBenchmark {
    @TempDir
    Path tmp;

    @Test
    void downloadAndNoChangeUpload_vsCpTarRsync() throws Exception {
        String corpus = System.getProperty("bench.tree", System.getenv("OPENAGB_BENCH_CORPUS"));
        if (corpus == null || !Files.isDirectory(Path.of(corpus))) {
            throw new AssertionError("SyncBenchmark needs a tree: set OPENAGB_BENCH_CORPUS (or -Dbench.tree) to a"
                    + " directory, e.g. a node_modules made with npm ci");
        }
        Path tree = Path.of(corpus);
        int rounds = Integer.getInteger("bench.rounds", 3);
        boolean rsync = sh("command -v rsync >/dev/null") == 0;
        sh("cat $(find " + tree + " -type f) > /dev/null 2>&1 || true");
        for (String kind : List.of("local", "memory")) {
            ObjectStore store =
                    kind.equals("local") ? new LocalObjectStore(tmp.resolve("store")) : new InMemoryObjectStore();
            try (SyncEngine engine = SyncEngine.create(
                    store,
                    new InMemoryContextHeads(),
                    Clock.systemUTC(),
                    SyncOptions.defaults().withTempDir(tmp.resolve("scratch")))) {
                Path base = tmp.resolve("base-" + kind);
                UploadResult up = engine.upload(UploadRequest.of("bench", "/home/project", tree, base));
                System.out.println(kind + " initial upload: " + up.message());
                Map<String, List<Long>> t = new LinkedHashMap<>();
                for (int round = 0; round < rounds; round++) {
                    Path d = tmp.resolve("dl" + round);
                    long t0 = System.nanoTime();
                    DownloadResult r = engine.download(
                            DownloadRequest.of("bench", "/home/project", d, tmp.resolve("dlbase" + round)));
                    add(t, "download", System.nanoTime() - t0);
                    if (!r.failures().isEmpty()) {
                        throw new AssertionError(r.message());
                    }
                    timeSh(t, "cp -a", "cp -a " + tree + " " + tmp.resolve("cp" + round));
                    timeSh(
                            t,
                            "tar|tar",
                            "mkdir " + tmp.resolve("tar" + round) + " && cd " + tree + " && tar -cf - . | (cd "
                                    + tmp.resolve("tar" + round) + " && tar -xf -)");
                    if (rsync) {
                        timeSh(t, "rsync -a", "rsync -a " + tree + "/ " + tmp.resolve("rs" + round) + "/");
                    }
                    t0 = System.nanoTime();
                    UploadResult u = engine.upload(UploadRequest.of("bench", "/home/project", tree, base));
                    add(t, "upload no-change", System.nanoTime() - t0);
                    if (u.entriesChanged() != 0) {
                        throw new AssertionError("not a no-change pass: " + u.message());
                    }
                    if (rsync) {
                        timeSh(t, "rsync -a no-change", "rsync -a " + tree + "/ " + tmp.resolve("rs" + round) + "/");
                    }
                    sh("rm -rf " + d + " " + tmp.resolve("cp" + round) + " " + tmp.resolve("tar" + round) + " "
                            + tmp.resolve("rs" + round));
                }
                report(kind, t, "download", "cp -a", "tar|tar", "rsync -a");
                report(kind, t, "upload no-change", "rsync -a no-change");
            }
        }
    }

    /**
     * A checkpoint's cost on the tree: the no-change pass, then after 100 changed files (a scan, 100 hashes, one pack
     * and one commit), against rsync's pass over the same change when rsync is installed; then garbage collection
     * after half the tree was deleted: time, bytes reclaimed, heap used.
     */
    @Test
    void checkpointAfter100Changes_andGarbageCollection() throws Exception {
        String corpus = System.getProperty("bench.tree", System.getenv("OPENAGB_BENCH_CORPUS"));
        if (corpus == null || !Files.isDirectory(Path.of(corpus))) {
            throw new AssertionError("SyncBenchmark needs a tree: set OPENAGB_BENCH_CORPUS (or -Dbench.tree)");
        }
        Path tree = tmp.resolve("tree");
        if (sh("cp -a " + corpus + " " + tree) != 0) {
            throw new AssertionError("cp failed");
        }
        List<Path> files;
        try (var walk = Files.walk(tree)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int rounds = Integer.getInteger("bench.rounds", 3);
        try (SyncEngine engine = SyncEngine.create(
                new LocalObjectStore(tmp.resolve("store")),
                new InMemoryContextHeads(),
                Clock.systemUTC(),
                SyncOptions.defaults().withTempDir(tmp.resolve("scratch")))) {
            Path base = tmp.resolve("base");
            engine.upload(UploadRequest.of("cp", "/home/project", tree, base));
            Map<String, List<Long>> t = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                UploadResult idle = engine.upload(UploadRequest.of("cp", "/home/project", tree, base));
                add(t, "checkpoint no-change", System.nanoTime() - t0);
                for (int i = 0; i < 100; i++) {
                    Path f = files.get((round * 100 + i * 97) % files.size());
                    Files.writeString(f, "// changed " + round + "\n", java.nio.file.StandardOpenOption.APPEND);
                }
                t0 = System.nanoTime();
                UploadResult changed = engine.upload(UploadRequest.of("cp", "/home/project", tree, base));
                add(t, "checkpoint 100 changed", System.nanoTime() - t0);
                if (idle.entriesChanged() != 0 || changed.entriesChanged() < 90) {
                    throw new AssertionError("unexpected passes: " + idle.message() + " / " + changed.message());
                }
            }
            report("local", t, "checkpoint no-change");
            report("local", t, "checkpoint 100 changed");

            for (int i = 0; i < files.size(); i += 2) {
                Files.delete(files.get(i));
            }
            engine.upload(UploadRequest.of("cp", "/home/project", tree, base));
            System.gc();
            long heapBefore =
                    Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            long t0 = System.nanoTime();
            GcResult gc = engine.collectGarbage("cp", java.time.Instant.now().plusSeconds(1));
            long gcMs = (System.nanoTime() - t0) / 1_000_000;
            long heapAfter =
                    Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            System.out.printf(
                    "local: gc after deleting %d of %d files: %d ms, %d blobs/packs and %d manifests deleted, %.1f MB"
                            + " reclaimed, %d live objects kept, heap %+.1f MB%n",
                    (files.size() + 1) / 2,
                    files.size(),
                    gcMs,
                    gc.blobsDeleted(),
                    gc.manifestsDeleted(),
                    gc.bytesReclaimed() / 1e6,
                    gc.liveBlobs(),
                    (heapAfter - heapBefore) / 1e6);
        }
    }

    private static void report(String kind, Map<String, List<Long>> t, String ours, String... baselines) {
        long best = best(t.get(ours));
        StringBuilder sb = new StringBuilder(kind + ": " + ours + " " + ms(t.get(ours)) + " ms");
        for (String b : baselines) {
            if (t.containsKey(b)) {
                sb.append(String.format(
                        "; %s %s ms (ours/%s = %.2fx)", b, ms(t.get(b)), b, (double) best / best(t.get(b))));
            }
        }
        System.out.println(sb);
    }

    private static long best(List<Long> ns) {
        return ns.stream().mapToLong(x -> x).min().orElseThrow();
    }

    private static void add(Map<String, List<Long>> t, String what, long ns) {
        t.computeIfAbsent(what, k -> new ArrayList<>()).add(ns);
    }

    private static void timeSh(Map<String, List<Long>> t, String what, String cmd) throws Exception {
        long t0 = System.nanoTime();
        if (sh(cmd) != 0) {
            throw new AssertionError(cmd + " failed");
        }
        add(t, what, System.nanoTime() - t0);
    }

    static int sh(String cmd) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", cmd).inheritIO().start();
        p.waitFor(10, TimeUnit.MINUTES);
        return p.exitValue();
    }

    static String ms(List<Long> ns) {
        return ns.stream().map(n -> String.valueOf(n / 1_000_000)).toList().toString();
    }
}
