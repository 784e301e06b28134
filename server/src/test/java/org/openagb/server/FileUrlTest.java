package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presigned context-file URLs (WIRE.md §6.5 File URLs, §6.6), on a real server whose clock the test moves. */
class FileUrlTest {
    @TempDir
    static Path dataDir;

    static MutableClock clock = MutableClock.startingNow();
    static OpenAgbServer server;
    static WireClient wire;

    @BeforeAll
    static void start() {
        server = OpenAgbServer.start(
                ServerConfig.builder().dataDir(dataDir).port(0).clock(clock).build());
        wire = new WireClient(server.baseUrl(), server.bootstrapApiKey().orElseThrow());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String uploadUrl(String contextId, String path) {
        return uploadUrlOn(wire, contextId, path);
    }

    static String uploadUrlOn(WireClient wire, String contextId, String path) {
        WireClient.Reply r =
                wire.post("/sdk/GetContextFileUploadUrl", Map.of("contextId", contextId, "filePath", path), null);
        assertThat(r.success()).as(r.body().toString()).isTrue();
        return r.data().path("url").asText();
    }

    static String downloadUrl(String contextId, String path) {
        WireClient.Reply r =
                wire.post("/sdk/GetContextFileDownloadUrl", Map.of("contextId", contextId, "filePath", path), null);
        assertThat(r.success()).as(r.body().toString()).isTrue();
        return r.data().path("url").asText();
    }

    static String flip(String url, int fromEnd) {
        int i = url.length() - fromEnd;
        char c = url.charAt(i);
        return url.substring(0, i) + (c == 'A' ? 'B' : 'A') + url.substring(i + 1);
    }

    @Test
    void uploadUrl_isAbsoluteOnTheRequestHost_putStoresTheBytes_andGetReturnsThemWithTheSameEtag() {
        String id = wire.context("urls-roundtrip");
        WireClient.Reply issued = wire.post(
                "/sdk/GetContextFileUploadUrl",
                Map.of("contextId", id, "filePath", "/tmp/integration_upload_test.txt"),
                null);
        assertThat(issued.success()).isTrue();
        assertThat(issued.data().path("url").asText()).startsWith(server.baseUrl() + "/files/");
        assertThat(issued.data().path("expireTime").isIntegralNumber()).isTrue();
        assertThat(issued.data().path("expireTime").asLong()).isEqualTo(3600);

        byte[] content = "hello presigned world\n".getBytes(StandardCharsets.UTF_8);
        PresignedHttp.Answer put = PresignedHttp.put(issued.data().path("url").asText(), content);
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.etag()).isEqualTo("\"" + PresignedHttp.md5Hex(content) + "\"");

        WireClient.Reply listed =
                wire.post("/sdk/DescribeContextFiles", Map.of("contextId", id, "parentFolderPath", "/tmp"), null);
        assertThat(listed.data().findValuesAsText("filePath")).containsExactly("/tmp/integration_upload_test.txt");
        assertThat(listed.data().path(0).path("size").asLong()).isEqualTo(content.length);

        PresignedHttp.Answer get = PresignedHttp.get(downloadUrl(id, "/tmp/integration_upload_test.txt"));
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(content);
        assertThat(get.contentType()).isEqualTo("application/octet-stream");
        assertThat(get.contentLength()).isEqualTo(content.length);
        assertThat(get.etag()).isEqualTo(put.etag());
    }

    @Test
    void putOverwrites_chunkedPutWorks_andAnEmptyFileHasTheEmptyMd5() {
        String id = wire.context("urls-overwrite");
        String url = uploadUrl(id, "/home/x/data.bin");
        assertThat(PresignedHttp.put(url, new byte[] {1, 2, 3}).status()).isEqualTo(200);
        byte[] second = "second version, sent chunked".getBytes(StandardCharsets.UTF_8);
        PresignedHttp.Answer chunked = PresignedHttp.putChunked(url, second);
        assertThat(chunked.status()).isEqualTo(200);
        assertThat(chunked.etag()).isEqualTo("\"" + PresignedHttp.md5Hex(second) + "\"");
        assertThat(PresignedHttp.get(downloadUrl(id, "/home/x/data.bin")).body())
                .isEqualTo(second);

        String empty = uploadUrl(id, "/home/x/empty");
        assertThat(PresignedHttp.put(empty, new byte[0]).etag()).isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
        PresignedHttp.Answer got = PresignedHttp.get(downloadUrl(id, "/home/x/empty"));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body()).isEmpty();
        assertThat(got.etag()).isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
    }

    @Test
    void rangeGet_returns206WithContentRange_andAnUnsatisfiableRangeIs416() {
        String id = wire.context("urls-range");
        byte[] content = new byte[1000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7);
        }
        PresignedHttp.put(uploadUrl(id, "/home/r/blob"), content);
        String url = downloadUrl(id, "/home/r/blob");

        PresignedHttp.Answer middle = PresignedHttp.get(url, "bytes=10-19");
        assertThat(middle.status()).isEqualTo(206);
        assertThat(middle.contentRange()).isEqualTo("bytes 10-19/1000");
        assertThat(middle.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 10, 20));
        assertThat(middle.etag()).isEqualTo("\"" + PresignedHttp.md5Hex(content) + "\"");

        PresignedHttp.Answer open = PresignedHttp.get(url, "bytes=990-");
        assertThat(open.status()).isEqualTo(206);
        assertThat(open.contentRange()).isEqualTo("bytes 990-999/1000");
        assertThat(open.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 990, 1000));

        PresignedHttp.Answer suffix = PresignedHttp.get(url, "bytes=-5");
        assertThat(suffix.contentRange()).isEqualTo("bytes 995-999/1000");
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 995, 1000));

        PresignedHttp.Answer beyond = PresignedHttp.get(url, "bytes=1000-2000");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.contentRange()).isEqualTo("bytes */1000");
        assertThat(beyond.json().path("message").asText())
                .contains("bytes=1000-2000")
                .contains("1000 bytes");
    }

    @Test
    void downloadUrlOfAMissingFile_isANotFoundError_andAGetAfterDeleteIs404Json() {
        String id = wire.context("urls-missing");
        WireClient.Reply missing = wire.post(
                "/sdk/GetContextFileDownloadUrl", Map.of("contextId", id, "filePath", "/tmp/nothing-here.txt"), null);
        assertThat(missing.success()).isFalse();
        assertThat(missing.code()).isEqualTo("InvalidContextFile.NotFound");
        assertThat(missing.message()).contains("/tmp/nothing-here.txt");

        PresignedHttp.put(uploadUrl(id, "/tmp/gone.txt"), new byte[] {42});
        String url = downloadUrl(id, "/tmp/gone.txt");
        assertThat(wire.post("/sdk/DeleteContextFile", Map.of("contextId", id, "filePath", "/tmp/gone.txt"), null)
                        .success())
                .isTrue();
        PresignedHttp.Answer gone = PresignedHttp.get(url);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("success").asBoolean(true)).isFalse();
        assertThat(gone.json().path("code").asText()).isEqualTo("InvalidContextFile.NotFound");
        assertThat(gone.json().path("message").asText()).contains("/tmp/gone.txt");

        WireClient.Reply unknownContext = wire.post(
                "/sdk/GetContextFileUploadUrl", Map.of("contextId", "SdkCtx-nope", "filePath", "/tmp/a"), null);
        assertThat(unknownContext.code()).isEqualTo("InvalidContext.NotFound");
        assertThat(unknownContext.message()).contains("'SdkCtx-nope'");
    }

    @Test
    void urlOfADeletedContext_is404() {
        String id = wire.context("urls-deleted-context");
        String url = uploadUrl(id, "/tmp/a.txt");
        assertThat(wire.post("/sdk/DeleteContext", Map.of("id", id), null).success())
                .isTrue();
        PresignedHttp.Answer put = PresignedHttp.put(url, new byte[] {1});
        assertThat(put.status()).isEqualTo(404);
        assertThat(put.json().path("message").asText()).contains(id).contains("no longer exists");
    }

    @Test
    void tamperedToken_isRejectedWith403_whereverTheChangeIs() {
        String id = wire.context("urls-tamper");
        String url = uploadUrl(id, "/tmp/t.txt");
        for (String bad : new String[] {
            flip(url, 1), // last character of the signature
            flip(url, url.length() - url.lastIndexOf('/') - 3), // inside the payload
            url.substring(0, url.lastIndexOf('/') + 1) + "not-a-token"
        }) {
            PresignedHttp.Answer put = PresignedHttp.put(bad, new byte[] {1});
            assertThat(put.status()).as(bad).isEqualTo(403);
            assertThat(put.json().path("success").asBoolean(true)).isFalse();
            assertThat(put.json().path("code").asText()).startsWith("InvalidToken.");
            assertThat(put.json().path("message").asText()).containsAnyOf("signature does not match", "malformed");
        }
        PresignedHttp.Answer signature = PresignedHttp.put(flip(url, 1), new byte[] {1});
        assertThat(signature.json().path("code").asText()).isEqualTo("InvalidToken.Signature");
        assertThat(signature.json().path("message").asText()).contains("altered");
        // nothing was stored by the rejected requests
        assertThat(wire.post("/sdk/DescribeContextFiles", Map.of("contextId", id, "parentFolderPath", "/tmp"), null)
                        .data())
                .isEmpty();
    }

    @Test
    void urlIsBoundToItsOperation_context_path_andTenant() throws Exception {
        String a = wire.context("urls-bound-a");
        String b = wire.context("urls-bound-b");
        PresignedHttp.put(uploadUrl(a, "/tmp/secret.txt"), "A's secret".getBytes(StandardCharsets.UTF_8));
        PresignedHttp.put(uploadUrl(b, "/tmp/other.txt"), "B".getBytes(StandardCharsets.UTF_8));

        // an upload URL cannot download, a download URL cannot upload
        PresignedHttp.Answer getWithPut = PresignedHttp.get(uploadUrl(a, "/tmp/secret.txt"));
        assertThat(getWithPut.status()).isEqualTo(403);
        assertThat(getWithPut.json().path("code").asText()).isEqualTo("InvalidToken.Operation");
        assertThat(getWithPut.json().path("message").asText())
                .contains("upload URL for '/tmp/secret.txt'")
                .contains("cannot be used to download");
        PresignedHttp.Answer putWithGet = PresignedHttp.put(downloadUrl(a, "/tmp/secret.txt"), new byte[] {0});
        assertThat(putWithGet.status()).isEqualTo(403);
        assertThat(putWithGet.json().path("message").asText())
                .contains("download URL")
                .contains("upload (PUT)");

        // re-targeting a URL at another context or path (payload edited, signature kept) fails the signature
        String url = downloadUrl(b, "/tmp/other.txt");
        String token = url.substring(url.lastIndexOf('/') + 1);
        String payload = new String(
                java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8);
        assertThat(payload).contains(b).contains("/tmp/other.txt");
        for (String forged :
                new String[] {payload.replace(b, a), payload.replace("/tmp/other.txt", "/tmp/secret.txt")}) {
            String forgedToken = java.util.Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(forged.getBytes(StandardCharsets.UTF_8))
                    + token.substring(token.indexOf('.'));
            PresignedHttp.Answer answer = PresignedHttp.get(url.substring(0, url.lastIndexOf('/') + 1) + forgedToken);
            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.json().path("code").asText()).isEqualTo("InvalidToken.Signature");
        }

        // another key cannot get a URL for this key's context
        WireClient other = wire.withKey(server.createApiKey("urls-other-tenant"));
        WireClient.Reply foreign = other.post(
                "/sdk/GetContextFileDownloadUrl", Map.of("contextId", a, "filePath", "/tmp/secret.txt"), null);
        assertThat(foreign.success()).isFalse();
        assertThat(foreign.code()).isEqualTo("InvalidContext.NotFound");
    }

    @Test
    void expiredUrl_isRejectedWith403() {
        String id = wire.context("urls-expiry");
        String put = uploadUrl(id, "/tmp/late.txt");
        clock.advance(Duration.ofSeconds(3599));
        assertThat(PresignedHttp.put(put, new byte[] {1}).status()).isEqualTo(200);
        String get = downloadUrl(id, "/tmp/late.txt");
        clock.advance(Duration.ofSeconds(2));
        PresignedHttp.Answer expiredPut = PresignedHttp.put(put, new byte[] {2});
        assertThat(expiredPut.status()).isEqualTo(403);
        assertThat(expiredPut.json().path("code").asText()).isEqualTo("InvalidToken.Expired");
        assertThat(expiredPut.json().path("message").asText())
                .contains("'/tmp/late.txt' expired")
                .contains("request a new URL");
        clock.advance(Duration.ofSeconds(3600));
        PresignedHttp.Answer expiredGet = PresignedHttp.get(get);
        assertThat(expiredGet.status()).isEqualTo(403);
        assertThat(expiredGet.json().path("code").asText()).isEqualTo("InvalidToken.Expired");
    }

    @Test
    void signingKey_isKeptInTheDataDirWithMode0600() throws Exception {
        Path keyFile = dataDir.resolve("url-signing.key");
        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(keyFile).strip()).hasSize(64);
    }

    @Test
    void publicBaseUrl_replacesTheHostInIssuedUrls() {
        try (OpenAgbServer other = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(dataDir.resolve("public-base"))
                .port(0)
                .publicBaseUrl("https://agb.example.com/prefix/")
                .fileUrlTtl(Duration.ofMinutes(5))
                .build())) {
            WireClient client =
                    new WireClient(other.baseUrl(), other.bootstrapApiKey().orElseThrow());
            String id = client.context("public");
            WireClient.Reply r =
                    client.post("/sdk/GetContextFileUploadUrl", Map.of("contextId", id, "filePath", "/tmp/a"), null);
            assertThat(r.data().path("url").asText()).startsWith("https://agb.example.com/prefix/files/");
            assertThat(r.data().path("expireTime").asLong()).isEqualTo(300);
        }
    }
}
