package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Large presigned PUT + GET, streamed end to end from a generator (never a byte array): size, ETag (= MD5) and the
 * MD5 of the bytes read back. 256 MiB in the default suite; the 1 GiB variant is tagged {@code benchmark}.
 */
class FileUrlStreamingTest extends ServerTestBase {
    private static final long MIB = 1024L * 1024;

    @Test
    void put256MiB_thenGet_streamsTheExactBytes() throws IOException {
        roundTrip(256 * MIB, "big-256m");
    }

    @Test
    @Tag("benchmark")
    void put1GiB_thenGet_streamsTheExactBytes() throws IOException {
        roundTrip(1024 * MIB, "big-1g");
    }

    private static void roundTrip(long size, String name) throws IOException {
        String id = wire.context(name);
        long seed = size;
        MessageDigest md5 = PresignedHttp.md5();
        try (InputStream in = new DigestInputStream(PresignedHttp.generated(size, seed), md5)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String expected = HexFormat.of().formatHex(md5.digest());

        String upload = wire.post(
                        "/sdk/GetContextFileUploadUrl", Map.of("contextId", id, "filePath", "/tmp/big.bin"), null)
                .data()
                .path("url")
                .asText();
        long start = System.nanoTime();
        PresignedHttp.Answer put = PresignedHttp.putStream(upload, () -> PresignedHttp.generated(size, seed), size);
        long putMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(put.status()).as(new String(put.body())).isEqualTo(200);
        assertThat(put.etag()).isEqualTo("\"" + expected + "\"");

        String download = wire.post(
                        "/sdk/GetContextFileDownloadUrl", Map.of("contextId", id, "filePath", "/tmp/big.bin"), null)
                .data()
                .path("url")
                .asText();
        start = System.nanoTime();
        PresignedHttp.Streamed get = PresignedHttp.getStreamed(download);
        long getMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.contentLength()).isEqualTo(size);
        assertThat(get.size()).isEqualTo(size);
        assertThat(get.md5()).isEqualTo(expected);
        assertThat(get.etag()).isEqualTo("\"" + expected + "\"");
        System.out.printf(
                "presigned %d MiB: PUT %d ms, GET %d ms, heap max %d MiB%n",
                size / MIB, putMs, getMs, Runtime.getRuntime().maxMemory() / MIB);
    }
}
