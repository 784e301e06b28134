package org.openagb.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs a server in its own JVM for the crash tests: {@code StandaloneServer <dataDir> <port> <releaseDelayMs>}.
 * Prints {@code READY <port>} once listening, then blocks until killed.
 */
public final class StandaloneServer {
    private StandaloneServer() {}

    public static void main(String[] args) throws InterruptedException {
        ServerConfig.Builder config = ServerConfig.builder()
                .dataDir(Path.of(args[0]))
                .port(Integer.parseInt(args[1]))
                .releaseDelay(Duration.ofMillis(Long.parseLong(args[2])));
        // A node of a test cluster: the shared database and bucket, and the test's timings.
        String db = System.getProperty("openagb.test.databaseUrl");
        if (db != null) {
            config.database(
                    db,
                    System.getProperty("openagb.test.databaseUser"),
                    System.getProperty("openagb.test.databasePassword"));
        }
        String s3 = System.getProperty("openagb.test.s3Endpoint");
        if (s3 != null) {
            config.s3(new org.openagb.storage.s3.S3Config(
                    java.net.URI.create(s3),
                    "us-east-1",
                    System.getProperty("openagb.test.s3Bucket"),
                    System.getProperty("openagb.test.s3Prefix"),
                    System.getProperty("openagb.test.s3AccessKey"),
                    System.getProperty("openagb.test.s3SecretKey"),
                    true));
        }
        for (String name : java.util.List.of("checkpointMs", "heartbeatMs", "nodeDownMs")) {
            String value = System.getProperty("openagb.test." + name);
            if (value != null) {
                Duration d = Duration.ofMillis(Long.parseLong(value));
                switch (name) {
                    case "checkpointMs" -> config.checkpointInterval(d);
                    case "heartbeatMs" -> config.heartbeatInterval(d);
                    default -> config.nodeDownAfter(d);
                }
            }
        }
        if (db != null) {
            config.warmSandboxes(0);
        }
        OpenAgbServer server = OpenAgbServer.start(config.build());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "openagb-stop"));
        server.bootstrapApiKey().ifPresent(key -> System.out.println("KEY " + key));
        System.out.println("READY " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
