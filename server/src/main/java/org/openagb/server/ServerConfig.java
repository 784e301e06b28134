package org.openagb.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openagb.sandbox.SessionLimits;
import org.openagb.storage.s3.S3Config;
import org.openagb.sync.VersionRetention;

/**
 * Everything the server can be configured with, in one place. Immutable; build it with {@link #builder()}.
 *
 * @param dataDir where the embedded database, the local object store and the sessions' files live
 * @param host interface to bind (default {@code 127.0.0.1})
 * @param port TCP port; 0 picks a free one
 * @param defaultIdleTimeout idle time after which a session is released (and uploaded); the createSession
 *     {@code timeout} overrides it
 * @param writableRoots in-session directories that are writable and may hold mounts
 * @param images image id to root filesystem: {@code /} is the embedded default, a read-only view of the host's system
 *     directories only (docs/images.md); any other directory is an unpacked image root
 * @param maxRequestBytes largest JSON request body accepted
 * @param syncThreads threads that run sync tasks (each task parallelises its own IO further)
 * @param commandOutputLimitBytes cap on the stdout and stderr a shell call returns
 * @param releaseDelay pause between recording a release and starting its upload; zero in production, set by
 *     crash tests to kill the server while a release is pending
 * @param reaperInterval how often idle sessions are looked for
 * @param publicBaseUrl base of the presigned file URLs handed to clients (for example
 *     {@code https://agb.example.com/prefix}); null = {@code http://<Host header of the API request>}
 * @param fileUrlTtl how long a presigned file URL stays valid (WIRE.md §9.5: default one hour)
 * @param recycleInterval how often the recycle reaper removes entries whose lifecycle expired
 * @param heartbeatInterval how often this node writes its row of the node registry (address, capacity, load)
 * @param nodeDownAfter after how long without a heartbeat a node is marked DOWN by the others
 * @param nodeUrl where the other nodes of a cluster reach this one (registered in the node registry), or null for
 *     {@code http://<host>:<port>} (127.0.0.1 for a server on all interfaces); also the base of the linkUrl and wsUrl of
 *     its sessions when another node forwarded the call and there is no public URL
 * @param gcInterval how often unreferenced blobs, packs and manifests are collected (zero: never)
 * @param gcGrace how old an unreferenced object must be before collection deletes it (longer than any upload)
 * @param versionRetention which past generations of each context are kept (listed, diffed, restorable, mountable;
 *     collection keeps their objects): by default the last 10 and those younger than a day (docs/versions.md)
 * @param checkpointInterval how often each running session's auto-upload mounts are uploaded (a checkpoint: an ordinary
 *     three-way commit, a scan only when nothing changed); zero turns checkpoints off
 * @param clock the server's clock (sessions, tasks, upload times, URL expiry, recycling); tests move it forward
 * @param maxSessionsPerKey live sessions one API key may hold at once
 * @param sessionLimits memory, process count, disk quota and network of each session's sandbox
 * @param databaseUrl JDBC URL of the metadata database (for example
 *     {@code jdbc:postgresql://db.example.com:5432/openagb}) for scale-out; null = the embedded SQLite file
 *     {@code <dataDir>/metadata.db}
 * @param databaseUser user of {@code databaseUrl} (null = none, or the one in the URL)
 * @param databasePassword password of {@code databaseUrl} (null = none, or the one in the URL)
 * @param s3 where contexts' objects live when not in the local object directory (null = {@code <dataDir>/objects})
 * @param tenantStorageBytes bytes each API key may store in its contexts (latest generations), {@code 0} for no
 *     quota; default 100 GiB
 * @param hostMemoryBytes memory the sessions of this node may be promised in all: createSession is refused when the
 *     memory limits of the live sessions would add up to more (admission control); {@code 0} = the host's memory
 *     less 1 GiB for the server itself
 * @param warmSandboxes sandboxes of the embedded image kept started ahead of time, so that a new session takes one
 *     instead of waiting for bubblewrap; default 2, {@code 0} for none
 * @param webSocketLimits bounds of the WebSocket endpoint (message size, idle timeout, buffered output, runs and
 *     connections)
 *
 * <p>Why it is this long: configuration in one place (house rule 15): one component, one validation and one builder
 * method per setting of the server.
 */
public record ServerConfig(
        Path dataDir,
        String host,
        int port,
        Duration defaultIdleTimeout,
        List<String> writableRoots,
        Map<String, Path> images,
        long maxRequestBytes,
        int syncThreads,
        int commandOutputLimitBytes,
        Duration releaseDelay,
        Duration reaperInterval,
        String publicBaseUrl,
        Duration fileUrlTtl,
        Duration recycleInterval,
        Clock clock,
        int maxSessionsPerKey,
        SessionLimits sessionLimits,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        S3Config s3,
        long tenantStorageBytes,
        long hostMemoryBytes,
        int warmSandboxes,
        Duration checkpointInterval,
        WebSocketLimits webSocketLimits,
        Duration gcInterval,
        Duration gcGrace,
        Duration heartbeatInterval,
        Duration nodeDownAfter,
        String nodeUrl,
        VersionRetention versionRetention) {

    /** How often a running session's auto-upload mounts are checkpointed by default. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(60);

    /** Default storage quota of an API key: 100 GiB. */
    public static final long DEFAULT_TENANT_STORAGE_BYTES = 100L << 30;

    /**
     * The memory sessions may be promised: {@link #hostMemoryBytes()} if set, else MemTotal of {@code /proc/meminfo}
     * less 1 GiB for the server.
     */
    public long sessionMemoryBudget() {
        if (hostMemoryBytes > 0) {
            return hostMemoryBytes;
        }
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return Math.max(256L << 20, (kib << 10) - (1L << 30));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Unknown: no admission control by memory.
        }
        return Long.MAX_VALUE;
    }

    /** What a node URL may be: {@code http(s)://host[:port]}, nothing else (it is echoed into URLs handed out). */
    public static final java.util.regex.Pattern NODE_URL =
            java.util.regex.Pattern.compile("https?://([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?");

    /** The port the server listens on when none is given. */
    public static final int DEFAULT_PORT = 8765;

    public ServerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port (" + port + ") must be between 0 and 65535");
        }
        if (defaultIdleTimeout.isNegative() || defaultIdleTimeout.isZero()) {
            throw new IllegalArgumentException("defaultIdleTimeout (" + defaultIdleTimeout + ") must be positive");
        }
        writableRoots = List.copyOf(writableRoots);
        images = Map.copyOf(images);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("images must name at least one image id");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        Objects.requireNonNull(releaseDelay, "releaseDelay");
        Objects.requireNonNull(sessionLimits, "sessionLimits");
        Objects.requireNonNull(webSocketLimits, "webSocketLimits");
        if (maxSessionsPerKey < 1) {
            throw new IllegalArgumentException("maxSessionsPerKey (" + maxSessionsPerKey + ") must be at least 1");
        }
        if (tenantStorageBytes < 0) {
            throw new IllegalArgumentException(
                    "tenantStorageBytes (" + tenantStorageBytes + ") must be 0 (no quota) or > 0");
        }
        if (warmSandboxes < 0) {
            throw new IllegalArgumentException("warmSandboxes (" + warmSandboxes + ") must be 0 (none) or more");
        }
        if (hostMemoryBytes < 0) {
            throw new IllegalArgumentException(
                    "hostMemoryBytes (" + hostMemoryBytes + ") must be 0 (the host's memory) or > 0");
        }
        if (reaperInterval.isNegative() || reaperInterval.isZero()) {
            throw new IllegalArgumentException("reaperInterval (" + reaperInterval + ") must be positive");
        }
        if (publicBaseUrl != null) {
            publicBaseUrl = publicBaseUrl.strip();
            while (publicBaseUrl.endsWith("/")) {
                publicBaseUrl = publicBaseUrl.substring(0, publicBaseUrl.length() - 1);
            }
            URI uri;
            try {
                uri = URI.create(publicBaseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("publicBaseUrl ('" + publicBaseUrl + "') is not a valid URL: "
                        + e.getMessage() + " (for example 'https://agb.example.com')");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("publicBaseUrl ('" + publicBaseUrl
                        + "') must be an absolute http:// or https:// URL (for example 'https://agb.example.com')");
            }
        }
        if (fileUrlTtl.isNegative() || fileUrlTtl.isZero() || fileUrlTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("fileUrlTtl (" + fileUrlTtl + ") must be at least one second");
        }
        if (heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval (" + heartbeatInterval + ") must be positive");
        }
        if (nodeUrl != null) {
            nodeUrl = nodeUrl.strip();
            while (nodeUrl.endsWith("/")) {
                nodeUrl = nodeUrl.substring(0, nodeUrl.length() - 1);
            }
            if (!NODE_URL.matcher(nodeUrl).matches()) {
                throw new IllegalArgumentException("nodeUrl ('" + nodeUrl
                        + "') must be http(s)://host[:port] with no path, e.g. http://10.0.0.5:8765");
            }
        }
        if (nodeDownAfter == null || nodeDownAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("nodeDownAfter (" + nodeDownAfter + ") must be at least two heartbeat"
                    + " intervals (" + heartbeatInterval + "), or a slow heartbeat marks a live node down");
        }
        if (gcInterval == null || gcInterval.isNegative()) {
            throw new IllegalArgumentException("gcInterval (" + gcInterval + ") must be zero (never) or positive");
        }
        if (gcGrace == null || gcGrace.isNegative() || gcGrace.isZero()) {
            throw new IllegalArgumentException(
                    "gcGrace (" + gcGrace + ") must be positive and longer than any upload takes");
        }
        Objects.requireNonNull(versionRetention, "versionRetention");
        if (checkpointInterval == null || checkpointInterval.isNegative()) {
            throw new IllegalArgumentException(
                    "checkpointInterval (" + checkpointInterval + ") must be zero (no checkpoints) or positive");
        }
        if (recycleInterval.isNegative() || recycleInterval.isZero()) {
            throw new IllegalArgumentException("recycleInterval (" + recycleInterval + ") must be positive");
        }
        Objects.requireNonNull(clock, "clock");
        if (databaseUrl != null) {
            databaseUrl = databaseUrl.strip();
            if (databaseUrl.isEmpty()) {
                databaseUrl = null;
            } else if (!databaseUrl.startsWith("jdbc:")) {
                throw new IllegalArgumentException("databaseUrl ('" + databaseUrl + "') must be a JDBC URL (for example"
                        + " 'jdbc:postgresql://db.example.com:5432/openagb')");
            }
        }
    }

    /** Whether the metadata lives in the embedded SQLite file (no {@code databaseUrl}). */
    public boolean embeddedDatabase() {
        return databaseUrl == null;
    }

    /** Hides the database password from logs. */
    @Override
    public String toString() {
        return "ServerConfig[dataDir=" + dataDir + ", host=" + host + ", port=" + port + ", databaseUrl="
                + databaseUrl + ", databaseUser=" + databaseUser + ", databasePassword="
                + (databasePassword == null ? null : "***") + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the embedded defaults. */
    /**
     * The image ids every server knows, all on the embedded default image (a read-only view of the host's system
     * directories): the ids the official SDKs and their tests use.
     */
    public static final Map<String, Path> DEFAULT_IMAGES = Map.of(
            "agb-code-space-1", Path.of("/"),
            "agb-code-space-2", Path.of("/"),
            "agb-code-space-3", Path.of("/"),
            "agb-browser-use-1", Path.of("/"),
            "agb-computer-use-ubuntu-2204", Path.of("/"));

    public static final class Builder {
        private Path dataDir = Path.of(".openagb");
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private Duration defaultIdleTimeout = Duration.ofMinutes(5);
        private List<String> writableRoots = List.of("/home", "/tmp", "/var/tmp");
        private Map<String, Path> images = DEFAULT_IMAGES;
        private long maxRequestBytes = 16L * 1024 * 1024;
        private int syncThreads = 4;
        private int commandOutputLimitBytes = 4 * 1024 * 1024;
        private Duration releaseDelay = Duration.ZERO;
        private Duration reaperInterval = Duration.ofSeconds(1);
        private int maxSessionsPerKey = 50;
        private long tenantStorageBytes = DEFAULT_TENANT_STORAGE_BYTES;
        private long hostMemoryBytes = 0;
        private int warmSandboxes = 2;
        private SessionLimits sessionLimits = SessionLimits.defaults();
        private WebSocketLimits webSocketLimits = WebSocketLimits.defaults();
        private String publicBaseUrl = null;
        private Duration fileUrlTtl = Duration.ofHours(1);
        private Duration recycleInterval = Duration.ofMinutes(10);
        private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
        private Duration gcInterval = Duration.ofHours(1);
        private Duration heartbeatInterval = Duration.ofSeconds(5);
        private Duration nodeDownAfter = Duration.ofSeconds(30);
        private String nodeUrl = null;
        private Duration gcGrace = Duration.ofHours(1);
        private VersionRetention versionRetention = VersionRetention.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private String databaseUrl = null;
        private String databaseUser = null;
        private String databasePassword = null;
        private S3Config s3 = null;

        /** Keep contexts' objects in S3 (or an S3-compatible server) instead of {@code <dataDir>/objects}. */
        public Builder s3(S3Config s3) {
            this.s3 = s3;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder defaultIdleTimeout(Duration timeout) {
            this.defaultIdleTimeout = timeout;
            return this;
        }

        public Builder writableRoots(List<String> roots) {
            this.writableRoots = roots;
            return this;
        }

        public Builder images(Map<String, Path> images) {
            this.images = images;
            return this;
        }

        public Builder maxRequestBytes(long bytes) {
            this.maxRequestBytes = bytes;
            return this;
        }

        public Builder syncThreads(int threads) {
            this.syncThreads = threads;
            return this;
        }

        public Builder commandOutputLimitBytes(int bytes) {
            this.commandOutputLimitBytes = bytes;
            return this;
        }

        public Builder releaseDelay(Duration delay) {
            this.releaseDelay = delay;
            return this;
        }

        public Builder reaperInterval(Duration interval) {
            this.reaperInterval = interval;
            return this;
        }

        /** Base of presigned file URLs; null (the default) uses the Host header of the API request. */
        public Builder publicBaseUrl(String url) {
            this.publicBaseUrl = url;
            return this;
        }

        public Builder fileUrlTtl(Duration ttl) {
            this.fileUrlTtl = ttl;
            return this;
        }

        public Builder recycleInterval(Duration interval) {
            this.recycleInterval = interval;
            return this;
        }

        /** How often this node writes its heartbeat to the node registry (default 5 s). */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /** After how long without a heartbeat a node is marked down (default 30 s; at least two heartbeats). */
        /** Where the other nodes reach this one; default {@code http://<host>:<port>}. */
        public Builder nodeUrl(String url) {
            this.nodeUrl = url;
            return this;
        }

        public Builder nodeDownAfter(Duration timeout) {
            this.nodeDownAfter = timeout;
            return this;
        }

        /** How often unreferenced objects are collected (default 1 h); {@link Duration#ZERO} for never. */
        public Builder gcInterval(Duration interval) {
            this.gcInterval = interval;
            return this;
        }

        /** How old an unreferenced object must be before collection deletes it (default 1 h, above any upload). */
        public Builder gcGrace(Duration grace) {
            this.gcGrace = grace;
            return this;
        }

        /**
         * Which past generations are kept (default {@link VersionRetention#DEFAULT}: the last 10 and those younger
         * than a day).
         */
        public Builder versionRetention(VersionRetention retention) {
            this.versionRetention = retention;
            return this;
        }

        /** How often running sessions' auto-upload mounts are checkpointed; {@link Duration#ZERO} for never. */
        public Builder checkpointInterval(Duration interval) {
            this.checkpointInterval = interval;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Memory, process, disk and network limits of every session (see {@link SessionLimits}). */
        public Builder sessionLimits(SessionLimits limits) {
            this.sessionLimits = limits;
            return this;
        }

        public Builder maxSessionsPerKey(int max) {
            this.maxSessionsPerKey = max;
            return this;
        }

        /**
         * The metadata database: a JDBC URL (PostgreSQL for scale-out) and its credentials; a null URL (the
         * default) is the embedded SQLite file under the data directory.
         */
        public Builder database(String jdbcUrl, String user, String password) {
            this.databaseUrl = jdbcUrl;
            this.databaseUser = user;
            this.databasePassword = password;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(
                    dataDir,
                    host,
                    port,
                    defaultIdleTimeout,
                    writableRoots,
                    images,
                    maxRequestBytes,
                    syncThreads,
                    commandOutputLimitBytes,
                    releaseDelay,
                    reaperInterval,
                    publicBaseUrl,
                    fileUrlTtl,
                    recycleInterval,
                    clock,
                    maxSessionsPerKey,
                    sessionLimits,
                    databaseUrl,
                    databaseUser,
                    databasePassword,
                    s3,
                    tenantStorageBytes,
                    hostMemoryBytes,
                    warmSandboxes,
                    checkpointInterval,
                    webSocketLimits,
                    gcInterval,
                    gcGrace,
                    heartbeatInterval,
                    nodeDownAfter,
                    nodeUrl,
                    versionRetention);
        }

        /** Bounds of the WebSocket endpoint; default {@link WebSocketLimits#defaults()}. */
        public Builder webSocketLimits(WebSocketLimits limits) {
            this.webSocketLimits = limits;
            return this;
        }

        /** Sandboxes kept started ahead of time; {@code 0} for none. */
        public Builder warmSandboxes(int count) {
            this.warmSandboxes = count;
            return this;
        }

        /** Bytes each API key may store in its contexts; {@code 0} for no quota. */
        public Builder tenantStorageBytes(long bytes) {
            this.tenantStorageBytes = bytes;
            return this;
        }

        /** Memory all sessions of this node may be promised together; {@code 0} = the host's memory less 1 GiB. */
        public Builder hostMemoryBytes(long bytes) {
            this.hostMemoryBytes = bytes;
            return this;
        }
    }
}
