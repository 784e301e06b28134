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
        OpenAgbServer server = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(Path.of(args[0]))
                .port(Integer.parseInt(args[1]))
                .releaseDelay(Duration.ofMillis(Long.parseLong(args[2])))
                .build());
        server.bootstrapApiKey().ifPresent(key -> System.out.println("KEY " + key));
        System.out.println("READY " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
