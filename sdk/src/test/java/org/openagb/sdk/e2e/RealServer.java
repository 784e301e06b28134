package org.openagb.sdk.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openagb.sdk.AGB;
import org.openagb.server.OpenAgbServer;
import org.openagb.server.ServerConfig;

/**
 * A real OpenAGB server, in-process, for one test class: started before the first test on a fresh data directory and
 * a free port, closed (and its data directory removed) after the last. Register it with
 * {@code @RegisterExtension static final RealServer SERVER = new RealServer();}.
 */
public final class RealServer implements BeforeAllCallback, AfterAllCallback {
    /** Poll faster than the SDK default: the server is local. */
    private static final Duration POLL = Duration.ofMillis(50);

    private final Consumer<ServerConfig.Builder> customizer;
    private Path dataDir;
    private OpenAgbServer server;
    private String apiKey;

    public RealServer() {
        this(builder -> {});
    }

    /** A server whose configuration {@code customizer} adjusts (data dir and port are set already). */
    public RealServer(Consumer<ServerConfig.Builder> customizer) {
        this.customizer = customizer;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("openagb-e2e-");
        ServerConfig.Builder builder = ServerConfig.builder().dataDir(dataDir).port(0);
        customizer.accept(builder);
        server = OpenAgbServer.start(builder.build());
        apiKey = server.bootstrapApiKey()
                .orElseThrow(() -> new IllegalStateException("a fresh data dir must bootstrap an API key"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            deleteRecursively(dataDir);
        }
    }

    /** A client of the bootstrap key's tenant. */
    public AGB agb() {
        return agb(apiKey);
    }

    /** A client with {@code key}. */
    public AGB agb(String key) {
        return AGB.builder()
                .apiKey(key)
                .endpoint(server.baseUrl())
                .pollInterval(POLL)
                .build();
    }

    /** The bootstrap key: the tenant of {@link #agb()}. */
    public String apiKey() {
        return apiKey;
    }

    /** A new tenant's API key. */
    public String newApiKey(String name) {
        return server.createApiKey(name);
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public Path dataDir() {
        return dataDir;
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
