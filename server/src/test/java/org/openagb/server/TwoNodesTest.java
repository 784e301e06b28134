package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.storage.s3.S3ProxyServer;

/**
 * Two server nodes on one PostgreSQL database and one S3 bucket: shared keys, contexts and data; each node keeps
 * its own sessions.
 */
@OnPostgres
class TwoNodesTest extends ServerTestBase {
    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    @TempDir
    Path secondNodeDir;

    @Test
    void aSecondNode_sharesKeysAndContexts_butNeverTakesOverTheFirstNodesSessions() {
        String ctx = wire.context("shared-by-nodes");
        String session = wire.session(ctx, "/home/n", DEFAULT_POLICY);
        wire.shell(session, "echo from-a > /home/n/f");

        try (OpenAgbServer second = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(secondNodeDir)
                .port(0)
                .database(config.databaseUrl(), config.databaseUser(), config.databasePassword())
                .s3(config.s3())
                .build())) {
            assertThat(second.nodeId()).isNotEqualTo(server.nodeId());
            assertThat(second.bootstrapApiKey()).as("the key table is shared").isEmpty();
            WireClient other = new WireClient(second.baseUrl(), key);
            assertThat(other.get("/sdk/GetContext", Map.of("id", ctx, "allowCreate", "false"))
                            .success())
                    .isTrue();
            assertThat(Files.exists(secondNodeDir.resolve("sessions").resolve(session)))
                    .as("the second node did not recover the first node's session")
                    .isFalse();
            assertThat(wire.awaitTasks(session).findValuesAsText("status")).containsOnly("Success");

            assertThat(wire.shell(session, "cat /home/n/f")).isEqualTo("from-a\n");
            wire.release(session);

            String onSecond = other.session(ctx, "/home/n", DEFAULT_POLICY);
            assertThat(other.shell(onSecond, "cat /home/n/f")).isEqualTo("from-a\n");
            other.release(onSecond);
        }
    }

    @Test
    void theKeysSessionLimit_countsItsSessionsOnEveryNodeThatIsUp() {
        try (OpenAgbServer second = secondNode(2)) {
            WireClient other = new WireClient(second.baseUrl(), key);
            String onFirst = wire.session();
            String onSecond = other.session();

            WireClient.Reply refused = other.createSession(Map.of());

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.message()).contains("already has 2 live sessions on the nodes of this cluster");
            wire.release(onFirst);
            String again = other.session();
            other.release(again);
            other.release(onSecond);
        }
    }

    @Test
    void deleteContext_isRefusedOnAnyNode_whileASessionOnAnotherNodeMountsIt() {
        String ctx = wire.context("mounted-on-first");
        String session = wire.session(ctx, "/home/m", DEFAULT_POLICY);
        try (OpenAgbServer second = secondNode(50)) {
            WireClient other = new WireClient(second.baseUrl(), key);

            WireClient.Reply refused = other.post("/sdk/DeleteContext", Map.of("id", ctx), null);

            assertThat(refused.success()).isFalse();
            assertThat(refused.message()).contains("mounted by live session(s)").contains(session);
            wire.release(session);
            assertThat(other.post("/sdk/DeleteContext", Map.of("id", ctx), null).success())
                    .isTrue();
        }
    }

    /** A second node on the first node's database and bucket, with its own data directory. */
    OpenAgbServer secondNode(int maxSessionsPerKey) {
        return OpenAgbServer.start(ServerConfig.builder()
                .dataDir(secondNodeDir)
                .port(0)
                .database(config.databaseUrl(), config.databaseUser(), config.databasePassword())
                .s3(config.s3())
                .warmSandboxes(0)
                .maxSessionsPerKey(maxSessionsPerKey)
                .build());
    }
}
