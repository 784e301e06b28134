package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionQuotaTest {
    @TempDir
    Path dataDir;

    @Test
    void sessionsBeyondTheKeysLimit_areRefusedWithAClearError_andOtherKeysAreNotAffected() {
        try (OpenAgbServer server = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(dataDir)
                .port(0)
                .maxSessionsPerKey(2)
                .build())) {
            WireClient wire =
                    new WireClient(server.baseUrl(), server.bootstrapApiKey().orElseThrow());
            String a = wire.session();
            String b = wire.session();
            WireClient.Reply third = wire.createSession(Map.of());
            assertThat(third.success()).isFalse();
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.code()).isEqualTo("QuotaExceeded.Sessions");
            assertThat(third.message()).contains("already has 2 live sessions");

            WireClient other = wire.withKey(server.createApiKey("other"));
            assertThat(other.createSession(Map.of()).success()).isTrue();

            wire.release(a);
            assertThat(wire.createSession(Map.of()).success()).isTrue();
            wire.release(b);
        }
    }
}
