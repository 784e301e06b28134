package org.openagb.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.openagb.sandbox.SessionLimits;
import org.openagb.server.OpenAgbServer;
import org.openagb.server.ServerConfig;
import org.openagb.storage.s3.S3Config;
import org.openagb.sync.VersionRetention;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code openagb server}: runs the platform on its embedded defaults until interrupted. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description =
                "Start the OpenAGB server (SQLite + local object store under the data dir, bubblewrap sandboxes).")
class ServerCommand implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand
    Main main;

    @Option(names = "--port", description = "TCP port (default ${DEFAULT-VALUE}; 0 = any free port)")
    int port = ServerConfig.DEFAULT_PORT;

    @Option(names = "--host", description = "Interface to bind (default ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(
            names = "--public-url",
            description = "Base URL clients reach this server at, for the URLs it hands out (file URLs, linkUrl, port"
                    + " links), e.g. https://agb.example.com behind a TLS proxy (default: the request's Host)")
    String publicUrl;

    @Option(
            names = "--checkpoint-seconds",
            description =
                    "Upload running sessions' auto-upload mounts every N seconds, so a lost node loses at most that"
                            + " much work (default ${DEFAULT-VALUE}; 0 = only on release and explicit syncs)")
    long checkpointSeconds = ServerConfig.DEFAULT_CHECKPOINT_INTERVAL.toSeconds();

    @Option(
            names = "--node-url",
            description = "Where the other nodes of a cluster reach this one, e.g. http://10.0.0.5:8765 (default:"
                    + " http://HOST:PORT); calls about its sessions are forwarded there")
    String nodeUrl;

    @Option(
            names = "--node-down-seconds",
            description = "Mark a node of the cluster down after N seconds without its heartbeat (every 5 s; default"
                    + " ${DEFAULT-VALUE})")
    long nodeDownSeconds = 30;

    @Option(
            names = "--gc-minutes",
            description = "Collect unreferenced blobs, packs and manifests every N minutes (default ${DEFAULT-VALUE};"
                    + " 0 = never; `openagb gc` runs one collection now)")
    long gcMinutes = 60;

    @Option(
            names = "--gc-grace-seconds",
            description = "Only objects unreferenced and older than this are deleted: longer than any upload takes"
                    + " (default ${DEFAULT-VALUE})")
    long gcGraceSeconds = 3600;

    @Option(
            names = "--keep-versions",
            paramLabel = "K",
            description = "Keep the last K generations of every context as versions that can be listed, diffed,"
                    + " restored and mounted read-only (default ${DEFAULT-VALUE}; 0 = only the current one)")
    int keepVersions = VersionRetention.DEFAULT.keepLast();

    @Option(
            names = "--keep-version-days",
            paramLabel = "D",
            description = "Also keep every generation younger than D days (default ${DEFAULT-VALUE}; fractions"
                    + " allowed, 0 = none). `openagb gc` must be given the servers' values")
    double keepVersionDays = VersionRetention.DEFAULT.keepFor().toHours() / 24.0;

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
            names = "--session-cpus",
            description = "CPU limit of each session in CPUs, e.g. 0.5 (default ${DEFAULT-VALUE}; 0 = none)")
    double sessionCpus = SessionLimits.DEFAULT_CPU_MILLIS / 1000.0;

    @Option(
            names = "--tenant-storage-gb",
            description = "Storage quota of each API key's contexts in GiB (default ${DEFAULT-VALUE}; 0 = none)")
    long tenantStorageGb = ServerConfig.DEFAULT_TENANT_STORAGE_BYTES >> 30;

    @Option(
            names = "--warm-sandboxes",
            description = "Sandboxes kept started ahead of time for new sessions (default ${DEFAULT-VALUE}; 0 = none)")
    int warmSandboxes = 2;

    @Option(
            names = "--session-memory-budget-mb",
            description = "Memory all sessions of this node may be promised together, in MiB (admission control;"
                    + " default: the host's memory less 1 GiB)")
    long sessionMemoryBudgetMb;

    @Option(
            names = "--max-sessions-per-key",
            description = "Live sessions one API key may hold (default ${DEFAULT-VALUE})")
    int maxSessionsPerKey = 50;

    @Option(
            names = "--database-url",
            description = "JDBC URL of the metadata database, e.g. jdbc:postgresql://db:5432/openagb (default: SQLite"
                    + " in the data dir; password from $OPENAGB_DATABASE_PASSWORD)")
    String databaseUrl;

    @Option(names = "--database-user", description = "User of --database-url")
    String databaseUser;

    @Option(
            names = "--s3-bucket",
            description = "Keep contexts' objects in this S3 bucket instead of the data dir (credentials from"
                    + " $OPENAGB_S3_ACCESS_KEY and $OPENAGB_S3_SECRET_KEY, else the AWS default chain)")
    String s3Bucket;

    @Option(names = "--s3-endpoint", description = "S3-compatible endpoint URL (default: AWS)")
    String s3Endpoint;

    @Option(names = "--s3-region", description = "S3 region (default ${DEFAULT-VALUE})")
    String s3Region = "us-east-1";

    @Option(names = "--s3-prefix", description = "Key prefix inside the bucket")
    String s3Prefix;

    /** The S3 settings, or null for the local object directory. Secrets come from the environment only. */
    private S3Config s3Config() {
        if (s3Bucket == null || s3Bucket.isBlank()) {
            return null;
        }
        java.util.Map<String, String> m = new java.util.HashMap<>();
        m.put("bucket", s3Bucket);
        m.put("region", s3Region);
        if (s3Endpoint != null) {
            m.put("endpoint", s3Endpoint);
        }
        if (s3Prefix != null) {
            m.put("prefix", s3Prefix);
        }
        String access = main.environment().variable("OPENAGB_S3_ACCESS_KEY");
        String secret = main.environment().variable("OPENAGB_S3_SECRET_KEY");
        if (access != null && secret != null) {
            m.put("accessKey", access);
            m.put("secretKey", secret);
        }
        return S3Config.fromMap(m);
    }

    private VersionRetention versionRetention() {
        if (keepVersions < 0 || keepVersionDays < 0 || Double.isNaN(keepVersionDays) || keepVersionDays > 36_500) {
            throw CliException.usage("Cannot keep " + keepVersions + " versions for " + keepVersionDays
                    + " days: --keep-versions and --keep-version-days must be >= 0 (and days at most 36500)");
        }
        return new VersionRetention(keepVersions, Duration.ofSeconds(Math.round(keepVersionDays * 86_400)));
    }

    /** The server configuration these options give (the storage options are also those of {@code openagb gc}). */
    ServerConfig config() {
        Path dir = DataDir.resolve(dataDir, main.environment());
        return ServerConfig.builder()
                .dataDir(dir)
                .host(host)
                .port(port)
                .publicBaseUrl(publicUrl)
                .checkpointInterval(Duration.ofSeconds(checkpointSeconds))
                .gcInterval(Duration.ofMinutes(gcMinutes))
                .gcGrace(Duration.ofSeconds(gcGraceSeconds))
                .versionRetention(versionRetention())
                .nodeDownAfter(Duration.ofSeconds(nodeDownSeconds))
                .nodeUrl(nodeUrl)
                .defaultIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds))
                .sessionLimits(new SessionLimits(
                        sessionMemoryMb << 20, sessionMaxProcesses, sessionDiskMb << 20, sessionNetwork, (int)
                                Math.round(sessionCpus * 1000)))
                .tenantStorageBytes(tenantStorageGb << 30)
                .hostMemoryBytes(sessionMemoryBudgetMb << 20)
                .warmSandboxes(warmSandboxes)
                .maxSessionsPerKey(maxSessionsPerKey)
                .database(databaseUrl, databaseUser, main.environment().variable("OPENAGB_DATABASE_PASSWORD"))
                .s3(s3Config())
                .build();
    }

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config = config();
        OpenAgbServer server;
        try {
            server = OpenAgbServer.start(config);
        } catch (RuntimeException e) {
            // One line that says what is wrong (the messages name the value and the fix), no stack trace.
            throw new CliException(CliException.FAILED, "openagb: cannot start the server: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "openagb-shutdown"));
        System.out.println("OpenAGB listening on " + server.baseUrl() + " (data: "
                + config.dataDir().toAbsolutePath() + ")");
        server.bootstrapApiKey().ifPresent(key -> {
            System.out.println("Created the first API key (shown once; also saved, mode 0600, in "
                    + config.dataDir().toAbsolutePath().resolve(OpenAgbServer.API_KEY_FILE) + "):");
            System.out.println("  export AGB_API_KEY=" + key);
        });
        System.out.println("  export AGB_ENDPOINT=" + server.baseUrl());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
