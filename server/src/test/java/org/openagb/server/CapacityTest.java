package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.sandbox.SessionLimits;

/** Admission control and the per-key storage quota, each on its own small server. */
class CapacityTest {
    @TempDir
    Path dataDir;

    private static final String UPLOADING = "{\"uploadPolicy\": {\"autoUpload\": true}}";

    @Test
    void sessionsWhoseMemoryLimitsWouldOversubscribeTheNode_areRefused_untilOneIsReleased() {
        try (OpenAgbServer server = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(dataDir)
                .port(0)
                .sessionLimits(SessionLimits.defaults().withMemoryBytes(256L << 20))
                .hostMemoryBytes(600L << 20)
                .build())) {
            WireClient wire =
                    new WireClient(server.baseUrl(), server.bootstrapApiKey().orElseThrow());
            String first = wire.session();
            String second = wire.session();
            WireClient.Reply third = wire.createSession(Map.of());
            assertThat(third.success()).isFalse();
            assertThat(third.status()).isEqualTo(503);
            assertThat(third.code()).isEqualTo("InsufficientCapacity");
            assertThat(third.message())
                    .contains("promised 512 MiB of its 600 MiB session memory to 2 live sessions of 256 MiB each");
            wire.release(first);
            String again = wire.session();
            wire.release(again);
            wire.release(second);
        }
    }

    @Test
    void storageQuota_refusesPresignedUploadsAndExplicitSyncsPastIt_butAReleaseStillUploads() throws Exception {
        try (OpenAgbServer server = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(dataDir)
                .port(0)
                .tenantStorageBytes(4096)
                .build())) {
            WireClient wire =
                    new WireClient(server.baseUrl(), server.bootstrapApiKey().orElseThrow());
            String ctx = wire.context("quota");
            String url = FileUrlTest.uploadUrlOn(wire, ctx, "/home/q/big.bin");
            PresignedHttp.Answer tooBig = PresignedHttp.put(url, new byte[8192]);
            assertThat(tooBig.status()).isEqualTo(429);
            assertThat(tooBig.json().path("code").asText()).isEqualTo("QuotaExceeded.Storage");
            assertThat(tooBig.json().path("message").asText())
                    .contains("stores 0 bytes of its 4 KiB storage quota and this would add 8 KiB");
            PresignedHttp.Answer chunked = PresignedHttp.putChunked(url, new byte[8192]);
            assertThat(chunked.status()).isEqualTo(429);

            String session = wire.session(ctx, "/home/q", UPLOADING);
            wire.shell(session, "head -c 6000 /dev/urandom > /home/q/data.bin");
            wire.release(session); // a release never loses work: it uploads past the quota
            WireClient.Reply listed = wire.post(
                    "/sdk/DescribeContextFiles", Map.of("contextId", ctx, "parentFolderPath", "/home/q"), null);
            assertThat(listed.data().findValuesAsText("fileName")).contains("data.bin");

            WireClient.Reply refused = wire.createSession(Map.of(
                    "persistenceDataList", List.of(Map.of("contextId", ctx, "path", "/home/q", "policy", UPLOADING))));
            assertThat(refused.success()).isFalse();
            assertThat(refused.code()).isEqualTo("QuotaExceeded.Storage");
            assertThat(refused.message()).contains("stores 5.9 KiB of its 4 KiB storage quota");

            String readOnly = wire.session(ctx, "/home/r", "{\"uploadPolicy\": {\"autoUpload\": false}}");
            WireClient.Reply sync =
                    wire.post("/sdk/SyncContext", Map.of(), Map.of("sessionId", readOnly, "mode", "upload"));
            assertThat(sync.success()).as("no mount uploads: nothing to refuse").isTrue();
            WireClient.Reply explicit = wire.post(
                    "/sdk/SyncContext",
                    Map.of(),
                    Map.of("sessionId", readOnly, "contextId", ctx, "path", "/home/r", "mode", "upload"));
            assertThat(explicit.success()).isFalse();
            assertThat(explicit.code()).isEqualTo("QuotaExceeded.Storage");
            wire.release(readOnly);
        }
    }
}
