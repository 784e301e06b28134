package org.openagb.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Packs a generated tree (~10,000 text-like files, ~120 MB, median ~1 KB, a few big files) with {@code
 * uploadArchive} into a LocalObjectStore and with {@code zip -1 -r -q}, and prints both times. Excluded from the
 * default build; run with {@code mvn -o -pl sync test -Dtest=ArchiveBenchmark -DexcludedGroups=none}. Also runs
 * on /tmp/corpus/node_modules when it exists.
 */
@Tag("benchmark")
class ArchiveBenchmark {
    @TempDir
    Path tmp;

    static final String[] WORDS = ("function return const let var import export default class extends async await"
                    + " if else for while switch case break continue new this null undefined true false string"
                    + " number object array map filter reduce console log error value key index length data")
            .split(" ");

    static void generate(Path root) throws IOException {
        Random rnd = new Random(12345);
        long total = 0;
        int files = 0;
        for (int i = 0; i < 10_000; i++) {
            Path dir = root.resolve("pkg" + (i % 97)).resolve("lib" + (i % 13));
            Files.createDirectories(dir);
            int size;
            if (i % 100 == 7) {
                size = 500_000 + rnd.nextInt(600_000); // 100 bigger files
            } else if (i % 2500 == 11) {
                size = 6_000_000 + rnd.nextInt(6_000_000); // and a few big ones
            } else {
                size = (int) Math.min(400_000, Math.exp(6.9 + rnd.nextGaussian() * 1.6)); // median ~1 KB, long tail
            }
            StringBuilder sb = new StringBuilder(size + 64);
            while (sb.length() < size) {
                sb.append(WORDS[rnd.nextInt(WORDS.length)]);
                sb.append(rnd.nextInt(8) == 0 ? "\n" : " ");
                if (rnd.nextInt(20) == 0) {
                    sb.append(rnd.nextInt(100000));
                }
            }
            byte[] b = sb.substring(0, size).getBytes(StandardCharsets.UTF_8);
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
        Path nm = Path.of("/tmp/corpus/node_modules");
        if (Files.isDirectory(nm)) {
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
