package org.openagb.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.openagb.sandbox.SessionLimits;
import org.openagb.server.OpenAgbServer;
import org.openagb.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code openagb server}: runs the platform on its embedded defaults until interrupted. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description =
                "Start the OpenAGB server (SQLite + local object store under the data dir, bubblewrap sandboxes).")
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--port", description = "TCP port (default ${DEFAULT-VALUE}; 0 = any free port)")
    int port = ServerConfig.DEFAULT_PORT;

    @Option(names = "--host", description = "Interface to bind (default ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--data-dir", description = "Data directory (default $OPENAGB_DATA_DIR or ~/.openagb)")
    Path dataDir;

    @Option(
            names = "--idle-timeout",
            description = "Default idle release timeout in seconds (default ${DEFAULT-VALUE})")
    long idleTimeoutSeconds = 300;

    @Option(
            names = "--session-memory-mb",
            description = "Memory limit of each session in MiB (default ${DEFAULT-VALUE}; 0 = none)")
    long sessionMemoryMb = SessionLimits.defaults().memoryBytes() >> 20;

    @Option(
            names = "--session-max-processes",
            description = "Process limit of each session (default ${DEFAULT-VALUE}; 0 = none)")
    int sessionMaxProcesses = SessionLimits.defaults().maxProcesses();

    @Option(
            names = "--session-disk-mb",
            description =
                    "Disk quota of each session's /home, /tmp and /var/tmp in MiB (default ${DEFAULT-VALUE}; 0 = none)")
    long sessionDiskMb = SessionLimits.defaults().diskBytes() >> 20;

    @Option(names = "--session-network", description = "Give sessions the host's network (default: loopback only)")
    boolean sessionNetwork;

    @Option(
            names = "--max-sessions-per-key",
            description = "Live sessions one API key may hold (default ${DEFAULT-VALUE})")
    int maxSessionsPerKey = 50;

    @Override
    public Integer call() throws InterruptedException {
        Path dir = DataDir.resolve(dataDir);
        OpenAgbServer server = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(dir)
                .host(host)
                .port(port)
                .defaultIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds))
                .sessionLimits(new SessionLimits(
                        sessionMemoryMb << 20, sessionMaxProcesses, sessionDiskMb << 20, sessionNetwork))
                .maxSessionsPerKey(maxSessionsPerKey)
                .build());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "openagb-shutdown"));
        System.out.println("OpenAGB listening on " + server.baseUrl() + " (data: " + dir.toAbsolutePath() + ")");
        server.bootstrapApiKey().ifPresent(key -> {
            System.out.println("Created the first API key (shown once; also saved, mode 0600, in "
                    + dir.toAbsolutePath().resolve(OpenAgbServer.API_KEY_FILE) + "):");
            System.out.println("  export AGB_API_KEY=" + key);
        });
        System.out.println("  export AGB_ENDPOINT=" + server.baseUrl());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
