package org.openagb.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.sync.internal.ManifestReader;
import org.openagb.sync.internal.ManifestWriter;

class ManifestFormatTest {
    @TempDir
    Path dir;

    private List<ManifestEntry> readAll(Path f) {
        List<ManifestEntry> out = new ArrayList<>();
        try (ManifestReader r = ManifestReader.openFileOrEmpty(f)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void writeThenRead_returnsSameEntries_forManyRandomEntries() {
        Random rnd = new Random(99);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            paths.add("/home/p/d" + rnd.nextInt(50) + "/f-" + i + (rnd.nextBoolean() ? ".txt" : "é"));
        }
        paths.sort(ContextPaths.ORDER);
        List<ManifestEntry> entries = new ArrayList<>();
        entries.add(ManifestEntry.directory("/home", 1, 0755, 2));
        for (String p : paths) {
            entries.add(
                    switch (rnd.nextInt(3)) {
                        case 0 ->
                            ManifestEntry.file(
                                    p,
                                    10,
                                    rnd.nextLong(1L << 42),
                                    0644,
                                    rnd.nextLong(),
                                    new BlobRef("blobs/c/" + rnd.nextInt(3), rnd.nextInt(1000), 10),
                                    5);
                        case 1 -> ManifestEntry.file(p, 0, 3, 0600, 17, null, 5);
                        default -> ManifestEntry.symlink(p, "../t" + rnd.nextInt(), 4, 6);
                    });
        }
        Path f = dir.resolve("m");
        try (ManifestWriter w = ManifestWriter.create(f)) {
            entries.forEach(w::write);
        }

        assertThat(readAll(f)).isEqualTo(entries);
    }

    @Test
    void write_outOfOrder_isRefused() {
        try (ManifestWriter w = ManifestWriter.create(dir.resolve("m"))) {
            w.write(ManifestEntry.directory("/b", 0, 0755, 0));
            assertThatThrownBy(() -> w.write(ManifestEntry.directory("/a", 0, 0755, 0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("out of order");
        }
    }

    @Test
    void read_missingFile_isEmpty() {
        assertThat(readAll(dir.resolve("nope"))).isEmpty();
    }

    @Test
    void read_truncatedManifest_failsClearly() throws Exception {
        Path f = dir.resolve("m");
        try (ManifestWriter w = ManifestWriter.create(f)) {
            for (int i = 0; i < 1000; i++) {
                w.write(ManifestEntry.directory("/d" + String.format("%04d", i), 0, 0755, 0));
            }
        }
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length / 2));

        assertThatThrownBy(() -> readAll(f))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("Cannot read manifest")
                .hasMessageContaining("(the manifest is corrupt or not a manifest)");
    }

    @Test
    void read_notAManifest_failsClearly() throws Exception {
        Path f = Files.writeString(dir.resolve("m"), "hello world");

        assertThatThrownBy(() -> readAll(f))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("it does not start with the manifest magic");
    }

    @Test
    void read_hostilePath_isRejected() {
        Path f = dir.resolve("m");
        try (ManifestWriter w = ManifestWriter.create(f)) {
            w.writeRaw("/home/../etc/passwd", EntryType.FILE, 0, 0, 0644, 0, 0, null, null);
        }

        assertThatThrownBy(() -> readAll(f))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("'/home/../etc/passwd' is not a valid context path");
    }

    @Test
    void read_unsortedEntries_areRejected() {
        Path f = dir.resolve("m");
        try (ManifestWriter w = ManifestWriter.create(f)) {
            w.writeRaw("/b", EntryType.DIRECTORY, 0, 0, 0755, 0, 0, null, null);
            w.writeRaw("/a", EntryType.DIRECTORY, 0, 0, 0755, 0, 0, null, null);
        }

        assertThatThrownBy(() -> readAll(f))
                .isInstanceOf(SyncException.class)
                .hasMessageContaining("entry '/a' is out of order after '/b'");
    }

    @Test
    void entry_validationRejectsInconsistentFields() {
        assertThatThrownBy(() -> ManifestEntry.file("/a", 5, 0, 0644, 1, null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a blob");
        assertThatThrownBy(() -> ManifestEntry.directory("rel", 0, 0755, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not absolute");
    }
}
