package org.openagb.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.storage.ObjectWriter;

/** Streamed writes large enough to be multipart uploads, against a real S3-compatible server (s3proxy). */
class S3MultipartTest {
    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    private static final String BUCKET = "openagb-multipart";
    private static final int MIB = 1024 * 1024;
    private S3ObjectStore store;

    @BeforeEach
    void open() {
        store = new S3ObjectStore(S3.config(BUCKET, "mp"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] data(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes {@code data} in uneven chunks, so that chunks straddle part boundaries. */
    private static void writeInChunks(ObjectWriter w, byte[] data) throws IOException {
        int chunk = MIB + 7;
        for (int off = 0; off < data.length; off += chunk) {
            w.write(data, off, Math.min(chunk, data.length - off));
        }
        w.write(data, 0, 0);
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void streamedWriteOf40MiB_commitsAsMultipartAndReadsBackWithRanges() throws Exception {
        byte[] data = data(40 * MIB + 12_345, 40);
        try (ObjectWriter w = store.create("big/40m")) {
            writeInChunks(w, data);
            assertThat(w.size()).isEqualTo(data.length);
            assertThat(store.stat("big/40m")).isEmpty(); // parts sent, nothing visible yet
            w.commit();
        }

        assertThat(store.stat("big/40m"))
                .hasValueSatisfying(i -> assertThat(i.size()).isEqualTo(data.length));
        assertThat(read(store.get("big/40m"))).isEqualTo(data);
        int part = S3ObjectStore.PART_SIZE;
        long[][] ranges = {{0, 10}, {part - 5, 10}, {2L * part, part}, {3L * part + 1, 1}, {data.length - 100, 100}};
        for (long[] r : ranges) {
            assertThat(read(store.get("big/40m", r[0], r[1])))
                    .as("range [%d, +%d)", r[0], r[1])
                    .isEqualTo(Arrays.copyOfRange(data, (int) r[0], (int) (r[0] + r[1])));
        }
        assertThat(store.list("big/"))
                .singleElement()
                .satisfies(i -> assertThat(i.size()).isEqualTo(data.length));
    }

    @Test
    void streamedWriteOfExactlyOnePart_isOnePut() throws Exception {
        byte[] data = data(S3ObjectStore.PART_SIZE, 1);
        try (ObjectWriter w = store.create("one/part")) {
            w.write(data);
            w.commit();
        }

        assertThat(read(store.get("one/part"))).isEqualTo(data);
    }

    @Test
    void abortedMultipartWriter_leavesNothing() throws Exception {
        store.put("keep/old", new java.io.ByteArrayInputStream(new byte[] {1}), 1);
        ObjectWriter w = store.create("keep/old");
        writeInChunks(w, data(20 * MIB, 2)); // two parts sent, the third buffered
        w.abort();
        try (ObjectWriter w2 = store.create("gone/new")) {
            writeInChunks(w2, data(17 * MIB, 3));
            // closed without commit
        }

        assertThat(read(store.get("keep/old"))).containsExactly(1);
        assertThat(store.stat("gone/new")).isEmpty();
        assertThat(store.list(""))
                .singleElement()
                .satisfies(i -> assertThat(i.key()).isEqualTo("keep/old"));
        assertThatThrownBy(() -> w.write(1)).isInstanceOf(IOException.class).hasMessageContaining("keep/old");
        // Nothing of the aborted uploads is left in the server's storage either.
        assertThat(filesUnder(S3.dataDir().resolve(BUCKET))).containsExactly("mp/keep/old");
    }

    @Test
    void closeAfterAnExceptionInsideTryWithResources_abortsTheUpload() throws Exception {
        byte[] data = data(9 * MIB, 9);
        assertThatThrownBy(() -> {
                    try (ObjectWriter w = store.create("fail/x")) {
                        w.write(data);
                        throw new IllegalStateException("producer failed");
                    }
                })
                .hasMessage("producer failed");

        assertThat(store.stat("fail/x")).isEmpty();
        assertThat(filesUnder(S3.dataDir().resolve(BUCKET)).stream().filter(f -> f.startsWith("mp/fail")))
                .isEmpty();
    }

    private static List<String> filesUnder(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }
}
