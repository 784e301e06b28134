package org.openagb.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.storage.LocalObjectStore;

/**
 * Packs a generated tree (10,000 text-like files, ~118 MB, median ~1 KB, a few big files) with {@code
 * uploadArchive} into a LocalObjectStore and with {@code zip -1 -r -q}, and prints both times. Excluded from the
 * default build; run with {@code mvn -o -pl sync test -Dtest=ArchiveBenchmark -DexcludedGroups=none}. Also runs
 * on the tree in {@code $OPENAGB_BENCH_CORPUS} when it is set.
 */
@Tag("benchmark")
class ArchiveBenchmark {
    @TempDir
    Path tmp;

    static final String[] WORDS = ("function return const let var import export default class extends async await"
                    + " if else for while switch case break continue new this null undefined true false string"
                    + " number object array map filter reduce console log error value key index length data")
            .split(" ");

    /**
     * 10,000 files in 1,261 directories, ~118 MB: a log-normal body (median ~1 KB, capped at 400 KB), 100 files of
     * 0.3-0.8 MB and 4 of 5-10 MB. Sizes come from their own seeded generator, so the total does not depend on the
     * content; the content is text-like (deflate level 1 shrinks it to roughly a third).
     */
    static void generate(Path root) throws IOException {
        Random sizes = new Random(12345);
        Random rnd = new Random(54321);
        long total = 0;
        int files = 0;
        for (int i = 0; i < 10_000; i++) {
            Path dir = root.resolve("pkg" + (i % 97)).resolve("lib" + (i % 13));
            Files.createDirectories(dir);
            int size;
            if (i % 100 == 7) {
                size = 320_000 + sizes.nextInt(500_000); // 100 bigger files
            } else if (i % 2500 == 11) {
                size = 5_000_000 + sizes.nextInt(5_000_000); // and a few big ones
            } else {
                size = (int) Math.min(400_000, Math.exp(6.9 + sizes.nextGaussian() * 1.6)); // median ~1 KB
            }
            byte[] b = new byte[size];
            int n = 0;
            while (n < size) {
                String w = WORDS[rnd.nextInt(WORDS.length)];
                for (int k = 0; k < w.length() && n < size; k++) {
                    b[n++] = (byte) w.charAt(k);
                }
                if (n < size) {
                    b[n++] = (byte) (rnd.nextInt(8) == 0 ? '\n' : ' ');
                }
                if (rnd.nextInt(20) == 0) {
                    String num = Integer.toString(rnd.nextInt(100000));
                    for (int k = 0; k < num.length() && n < size; k++) {
                        b[n++] = (byte) num.charAt(k);
                    }
                }
            }
            Files.write(dir.resolve("file" + i + ".js"), b);
            total += b.length;
            files++;
        }
        System.out.printf("generated %d files, %.1f MB%n", files, total / 1e6);
    }

    @Test
    void packGeneratedTree_vsZip() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        generate(tree);
        compare(tree, "generated");
        String corpus = System.getenv("OPENAGB_BENCH_CORPUS");
        Path nm = corpus == null ? null : Path.of(corpus);
        if (nm != null && Files.isDirectory(nm)) {
            compare(nm, "node_modules");
        }
    }

    void compare(Path tree, String label) throws Exception {
        // warm the page cache for both
        new ProcessBuilder("sh", "-c", "cat $(find " + tree + " -type f) > /dev/null 2>&1 || true")
                .start()
                .waitFor();
        List<Long> ours = new ArrayList<>();
        List<Long> zips = new ArrayList<>();
        long ourSize = 0;
        long zipSize = 0;
        for (int round = 0; round < 3; round++) {
            Path storeDir = tmp.resolve("store" + round);
            try (SyncEngine engine = SyncEngine.create(
                    new LocalObjectStore(storeDir),
                    new InMemoryContextHeads(),
                    Clock.systemUTC(),
                    SyncOptions.defaults().withTempDir(tmp.resolve("scratch")))) {
                long t0 = System.nanoTime();
                ArchiveUploadResult r = engine.uploadArchive(ArchiveUploadRequest.of("bench", "/home/project", tree));
                ours.add(System.nanoTime() - t0);
                ourSize = r.entry().size();
                if (round == 0) {
                    System.out.println(label + ": " + r.message());
                }
            }
            Path zip = tmp.resolve("z" + round + ".zip");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("zip", "-1", "-r", "-q", zip.toString(), ".")
                    .directory(tree.toFile())
                    .inheritIO()
                    .start();
            p.waitFor(10, TimeUnit.MINUTES);
            zips.add(System.nanoTime() - t0);
            zipSize = Files.size(zip);
            Files.delete(zip);
            deleteTree(storeDir);
        }
        System.out.printf(
                "%s: uploadArchive %s ms (%.1f MB), zip -1 -r -q %s ms (%.1f MB); best ratio zip/ours = %.2fx%n",
                label,
                ms(ours),
                ourSize / 1e6,
                ms(zips),
                zipSize / 1e6,
                (double) zips.stream().mapToLong(x -> x).min().orElseThrow()
                        / ours.stream().mapToLong(x -> x).min().orElseThrow());
    }

    static String ms(List<Long> ns) {
        return ns.stream().map(n -> String.valueOf(n / 1_000_000)).toList().toString();
    }

    static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder())
                    .forEach(x -> x.toFile().delete());
        }
    }
}
