package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openagb.storage.s3.S3ProxyServer;

/** Context files and Archive mode with the objects in S3 (s3proxy) and metadata in PostgreSQL. */
@OnPostgres
class ScaleOutFileUrlTest extends ServerTestBase {
    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    @Test
    void presignedPutAndGet_roundTripThroughS3() throws Exception {
        String ctx = wire.context("s3-files");
        String put = wire.post(
                        "/sdk/GetContextFileUploadUrl", Map.of("contextId", ctx, "filePath", "/home/s3/a.bin"), null)
                .data()
                .path("url")
                .asText();
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(body);
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(put))
                                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(200);
        String get = wire.post(
                        "/sdk/GetContextFileDownloadUrl", Map.of("contextId", ctx, "filePath", "/home/s3/a.bin"), null)
                .data()
                .path("url")
                .asText();
        HttpResponse<byte[]> got = http.send(
                HttpRequest.newBuilder(URI.create(get)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(body);

        String session = wire.session(ctx, "/home/s3", DEFAULT_POLICY);
        assertThat(wire.shell(session, "stat -c %s /home/s3/a.bin")).isEqualTo(body.length + "\n");
        wire.release(session);
    }

    @Test
    void archiveMode_streamsItsZipIntoS3_andBack() {
        String ctx = wire.context("s3-archive");
        String policy = "{\"uploadPolicy\": {\"uploadMode\": \"Archive\"}, \"extractPolicy\": {\"extract\": true,"
                + " \"deleteSrcFile\": true, \"extractToCurrentFolder\": true}}";
        String first = wire.session(ctx, "/home/zip", policy);
        wire.shell(
                first,
                "mkdir -p /home/zip/d && seq 1 20000 > /home/zip/d/n && head -c 20000000 /dev/urandom > /home/zip/r");
        wire.release(first);
        String second = wire.session(ctx, "/home/zip", policy);
        assertThat(wire.shell(second, "wc -l < /home/zip/d/n; stat -c %s /home/zip/r"))
                .isEqualTo("20000\n20000000\n");
        wire.release(second);
    }
}
