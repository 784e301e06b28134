package org.openagb.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.storage.s3.S3ProxyServer;

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
        Class<?> testClass = info.getTestClass().orElseThrow();
        PostgresExtension.databaseFor(testClass)
                .ifPresent(db -> builder.database(db.jdbcUrl(), db.user(), db.password()));
        s3proxyOf(testClass)
                .ifPresent(s3 -> builder.s3(s3.config(
                        "openagb-" + testClass.getSimpleName().toLowerCase(java.util.Locale.ROOT), "contexts")));
        durationField(testClass, "CHECKPOINT_INTERVAL").ifPresent(builder::checkpointInterval);
        durationField(testClass, "GC_GRACE").ifPresent(builder::gcGrace);
        durationField(testClass, "HEARTBEAT_INTERVAL").ifPresent(builder::heartbeatInterval);
        durationField(testClass, "NODE_DOWN_AFTER").ifPresent(builder::nodeDownAfter);
        staticField(testClass, "VERSION_RETENTION", org.openagb.sync.VersionRetention.class)
                .ifPresent(builder::versionRetention);
        config = builder.build();
        server = OpenAgbServer.start(config);
        key = server.bootstrapApiKey().orElseThrow();
        wire = new WireClient(server.baseUrl(), key);
    }

    /** A test class's own setting: a static {@code Duration} field of that name, if it has one. */
    private static java.util.Optional<Duration> durationField(Class<?> testClass, String name) {
        return staticField(testClass, name, Duration.class);
    }

    /** A test class's own setting: a static field of that name and type, if it has one. */
    private static <T> java.util.Optional<T> staticField(Class<?> testClass, String name, Class<T> type) {
        for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
            try {
                java.lang.reflect.Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return java.util.Optional.of(type.cast(f.get(null)));
            } catch (NoSuchFieldException e) {
                // look in the superclass (a Postgres variant extends the SQLite test)
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return java.util.Optional.empty();
    }

    /** The s3proxy a test class registered (a static {@link S3ProxyServer} field), if any. */
    private static java.util.Optional<S3ProxyServer> s3proxyOf(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) && f.getType() == S3ProxyServer.class) {
                    try {
                        f.setAccessible(true);
                        return java.util.Optional.of((S3ProxyServer) f.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return java.util.Optional.empty();
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
