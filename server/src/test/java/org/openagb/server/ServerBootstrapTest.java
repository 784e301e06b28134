package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerBootstrapTest {
    @TempDir
    Path dataDir;

    @Test
    void firstStart_createsKeyFileReadableOnlyByOwner_andStoresOnlyTheKeyHash() throws Exception {
        String key;
        try (OpenAgbServer server = OpenAgbServer.start(
                ServerConfig.builder().dataDir(dataDir).port(0).build())) {
            key = server.bootstrapApiKey().orElseThrow();
            Path file = dataDir.resolve(OpenAgbServer.API_KEY_FILE);
            assertThat(Files.readString(file).trim()).isEqualTo(key);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(new WireClient(server.baseUrl(), key)
                            .get("/sdk/ListContexts", Map.of())
                            .success())
                    .isTrue();
        }
        for (Path p : Files.list(dataDir)
                .filter(p -> p.getFileName().toString().startsWith("metadata.db"))
                .toList()) {
            assertThat(new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .as("database file %s must not hold the plain key", p)
                    .doesNotContain(key);
        }
    }

    @Test
    void firstStartThatFailsAfterCreatingTheKey_theNextStartShowsItAgain() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ServerConfig busy = ServerConfig.builder()
                    .dataDir(dataDir)
                    .port(taken.getLocalPort())
                    .build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpenAgbServer.start(busy))
                    .isInstanceOf(RuntimeException.class);
        }
        String saved =
                Files.readString(dataDir.resolve(OpenAgbServer.API_KEY_FILE)).strip();
        try (OpenAgbServer second = OpenAgbServer.start(
                ServerConfig.builder().dataDir(dataDir).port(0).build())) {
            assertThat(second.bootstrapApiKey()).contains(saved);
        }
        try (OpenAgbServer third = OpenAgbServer.start(
                ServerConfig.builder().dataDir(dataDir).port(0).build())) {
            assertThat(third.bootstrapApiKey())
                    .as("shown once a start succeeded")
                    .isEmpty();
        }
    }

    @Test
    void dataDirectory_is0700_andItsFiles0600() throws Exception {
        try (OpenAgbServer server = OpenAgbServer.start(
                ServerConfig.builder().dataDir(dataDir).port(0).build())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                    .isEqualTo("rwx------");
            try (var entries = Files.list(dataDir)) {
                for (Path entry : entries.toList()) {
                    String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(entry));
                    assertThat(perms)
                            .as(entry.toString())
                            .isEqualTo(Files.isDirectory(entry) ? "rwx------" : "rw-------");
                }
            }
        }
    }

    @Test
    void secondStart_keepsTheFirstKey_andCreatesNoOther() {
        String key;
        try (OpenAgbServer first = OpenAgbServer.start(
                ServerConfig.builder().dataDir(dataDir).port(0).build())) {
            key = first.bootstrapApiKey().orElseThrow();
        }
        try (OpenAgbServer second = OpenAgbServer.start(
                ServerConfig.builder().dataDir(dataDir).port(0).build())) {
            assertThat(second.bootstrapApiKey()).isEmpty();
            assertThat(new WireClient(second.baseUrl(), key)
                            .get("/sdk/ListContexts", Map.of())
                            .success())
                    .isTrue();
        }
        try (KeyAdmin admin = KeyAdmin.open(dataDir)) {
            assertThat(admin.list()).hasSize(1);
        }
    }

    @Test
    void missingWrongAndRevokedKeys_getInvalidApiKeyEnvelopes() {
        try (OpenAgbServer server = OpenAgbServer.start(
                ServerConfig.builder().dataDir(dataDir).port(0).build())) {
            WireClient anonymous = new WireClient(server.baseUrl(), null);
            WireClient.Reply missing = anonymous.get("/sdk/ListContexts", Map.of());
            assertThat(missing.status()).isEqualTo(401);
            assertThat(missing.success()).isFalse();
            assertThat(missing.code()).isEqualTo("InvalidApiKey");
            assertThat(missing.message()).contains("authorization: Bearer");
            assertThat(missing.body().path("requestId").asText()).isNotEmpty();

            WireClient.Reply wrong = anonymous.withKey("akm-not-a-key").post("/mcp/getSessionInfo", Map.of(), Map.of());
            assertThat(wrong.code()).isEqualTo("InvalidApiKey");
            assertThat(wrong.message()).contains("Invalid or revoked API key");

            String extra = server.createApiKey("ci");
            WireClient ci = anonymous.withKey(extra);
            assertThat(ci.get("/sdk/ListContexts", Map.of()).success()).isTrue();
            try (KeyAdmin admin = KeyAdmin.open(dataDir)) {
                assertThat(admin.revoke("ci")).isTrue();
                assertThat(admin.revoke("ci")).isFalse();
            }
            assertThat(ci.get("/sdk/ListContexts", Map.of()).code()).isEqualTo("InvalidApiKey");
        }
    }

    @Test
    void unknownEndpointAndOversizedBody_answerWithJsonEnvelopes() {
        try (OpenAgbServer server = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(dataDir)
                .port(0)
                .maxRequestBytes(64 * 1024)
                .build())) {
            WireClient wire =
                    new WireClient(server.baseUrl(), server.bootstrapApiKey().orElseThrow());
            WireClient.Reply unknown = wire.post("/sdk/NoSuchThing", Map.of(), null);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.success()).isFalse();
            assertThat(unknown.message()).contains("/sdk/NoSuchThing");

            String big = "{\"sessionId\":\"x\",\"name\":\"write_file\",\"args\":\"" + "a".repeat(200_000) + "\"}";
            WireClient.Reply tooLarge = wire.post("/mcp", Map.of(), big);
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.code()).isEqualTo("RequestTooLarge");
            assertThat(tooLarge.message()).contains("65536 bytes");
        }
    }
}
