package org.openagb.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real server (SQLite, local objects, bubblewrap) per test class, on a free port and a fresh data dir. A test
 * class annotated {@link OnPostgres} gets a fresh PostgreSQL database as its metadata database instead.
 */
abstract class ServerTestBase {
    @TempDir
    static Path dataDir;

    static ServerConfig config;
    static OpenAgbServer server;
    static WireClient wire;
    static String key;

    static final String DEFAULT_POLICY = "{}";
    static final String STANDARD_POLICY = "{\"uploadPolicy\": {\"autoUpload\": true, \"uploadStrategy\":"
            + " \"UploadBeforeResourceRelease\", \"uploadMode\": \"File\"}, \"downloadPolicy\": {\"autoDownload\": true,"
            + " \"downloadStrategy\": \"DownloadAsync\"}, \"deletePolicy\": {\"syncLocalFile\": true}}";

    @BeforeAll
    static void startServer(TestInfo info) {
        ServerConfig.Builder builder =
                ServerConfig.builder().dataDir(dataDir).port(0).reaperInterval(Duration.ofMillis(200));
        PostgresExtension.databaseFor(info.getTestClass().orElseThrow())
                .ifPresent(db -> builder.database(db.jdbcUrl(), db.user(), db.password()));
        config = builder.build();
        server = OpenAgbServer.start(config);
        key = server.bootstrapApiKey().orElseThrow();
        wire = new WireClient(server.baseUrl(), key);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    static Map<String, Object> args(Object... kv) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
