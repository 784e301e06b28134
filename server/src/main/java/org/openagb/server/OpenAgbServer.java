package org.openagb.server;

import io.javalin.Javalin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openagb.sandbox.BubblewrapSandboxRuntime;
import org.openagb.sandbox.SandboxConfig;
import org.openagb.sandbox.Tools;
import org.openagb.server.internal.cluster.ClusterRouter;
import org.openagb.server.internal.context.ContextRoutes;
import org.openagb.server.internal.context.ContextService;
import org.openagb.server.internal.context.ContextStore;
import org.openagb.server.internal.context.StorageQuota;
import org.openagb.server.internal.context.VersionRoutes;
import org.openagb.server.internal.context.VersionService;
import org.openagb.server.internal.db.Database;
import org.openagb.server.internal.files.FileRoutes;
import org.openagb.server.internal.files.InternalContextRoutes;
import org.openagb.server.internal.files.Md5Store;
import org.openagb.server.internal.files.UrlSigner;
import org.openagb.server.internal.gc.GcService;
import org.openagb.server.internal.http.HttpApp;
import org.openagb.server.internal.keys.ApiKeyStore;
import org.openagb.server.internal.nodes.NodeRegistry;
import org.openagb.server.internal.ports.PortRoutes;
import org.openagb.server.internal.recycle.RecycleRules;
import org.openagb.server.internal.recycle.RecycleService;
import org.openagb.server.internal.session.LinkTokens;
import org.openagb.server.internal.session.LiveSession;
import org.openagb.server.internal.session.LiveSessions;
import org.openagb.server.internal.session.PortLinks;
import org.openagb.server.internal.session.SessionRoutes;
import org.openagb.server.internal.session.SessionService;
import org.openagb.server.internal.session.SessionState;
import org.openagb.server.internal.session.SessionStore;
import org.openagb.server.internal.session.SyncRoutes;
import org.openagb.server.internal.sync.ContextFiles;
import org.openagb.server.internal.sync.DatabaseContextHeads;
import org.openagb.server.internal.sync.SyncService;
import org.openagb.server.internal.sync.TaskStore;
import org.openagb.server.internal.tools.LinkRoutes;
import org.openagb.server.internal.tools.ToolRoutes;
import org.openagb.server.internal.ws.WsAuth;
import org.openagb.server.internal.ws.WsRoutes;
import org.openagb.storage.LocalObjectStore;
import org.openagb.storage.ObjectStore;
import org.openagb.storage.s3.S3ObjectStore;
import org.openagb.sync.SyncEngine;
import org.openagb.sync.SyncOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running OpenAGB server: the AGB wire protocol over HTTP, backed by the metadata database, the object store
 * and bubblewrap sandboxes. Start one with {@link #start(ServerConfig)}; {@link #close()} shuts it down
 * gracefully (live sessions survive and come back on the next start).
 *
 * <p>On the first start with an empty key table, an API key is created, written to {@code <dataDir>/api-key}
 * (mode 0600) and returned once by {@link #bootstrapApiKey()}.
 *
 * <p>Why it is this long: it is the one place that wires the features together (database, object store, sync engine,
 * sessions, workers, routes) and owns their start, timers and graceful shutdown; the features themselves live in their
 * packages.
 */
public final class OpenAgbServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpenAgbServer.class);

    /** The file the first start writes the bootstrap API key to. */
    public static final String API_KEY_FILE = "api-key";

    private final ServerConfig config;
    private final Database database;
    private final String nodeId;
    private final ObjectStore objects;
    private final ApiKeyStore keys;
    private final SessionService sessions;
    private final ExecutorService syncPool;
    private final ScheduledExecutorService timers;
    private final Javalin http;
    private final String bootstrapKey;
    private final RecycleService recycle;
    private final SyncService sync;
    private final GcService gc;
    private final NodeRegistry nodes;
    private final WsRoutes webSockets;

    private OpenAgbServer(ServerConfig config) {
        this.config = config;
        Clock clock = config.clock();
        DataDirPermissions.restrictDirectory(config.dataDir());
        this.database =
                Database.open(config.dataDir(), config.databaseUrl(), config.databaseUser(), config.databasePassword());
        this.keys = new ApiKeyStore(database.jdbi(), clock);
        this.bootstrapKey = keys.isEmpty() ? bootstrap(keys, config.dataDir()) : unshownBootstrapKey(config.dataDir());

        ObjectStore objects = config.s3() == null
                ? new LocalObjectStore(config.dataDir().resolve("objects"))
                : new S3ObjectStore(config.s3());
        this.objects = objects;
        ContextStore contextStore = new ContextStore(database.jdbi(), clock);
        DatabaseContextHeads heads = new DatabaseContextHeads(contextStore);
        SyncOptions syncOptions = SyncOptions.defaults()
                .withTempDir(config.dataDir().resolve("tmp"))
                .withVersionRetention(config.versionRetention());
        SyncEngine engine = SyncEngine.create(objects, heads, clock, syncOptions);
        StorageQuota quota = new StorageQuota(contextStore, engine, config.tenantStorageBytes());
        this.gc = new GcService(contextStore, engine, config.gcGrace(), clock);
        this.nodes = new NodeRegistry(database.jdbi());
        LiveSessions live = new LiveSessions();
        this.nodeId = nodeId(config.dataDir());
        SessionStore sessionStore = new SessionStore(database.jdbi(), nodeId);
        // A context is in use while a session mounts it on this node or on any other node that is up.
        ContextService contexts = new ContextService(contextStore, new ContextFiles(engine), quota, id -> {
            java.util.TreeSet<String> users = new java.util.TreeSet<>(live.mounting(id));
            users.addAll(sessionStore.mountingOnUpNodes(id));
            return List.copyOf(users);
        });
        TaskStore tasks = new TaskStore(database.jdbi());
        int failed = tasks.failUnfinished(
                "Interrupted by a server restart before it finished; run the sync again", clock.millis(), nodeId);
        if (failed > 0) {
            log.warn("event=recover.tasks failed={} reason=restart", failed);
        }
        this.syncPool = Executors.newFixedThreadPool(config.syncThreads(), named("openagb-sync"));
        this.recycle = new RecycleService(new RecycleRules(database.jdbi()), contextStore, engine, clock);
        SyncService sync = this.sync = new SyncService(
                engine,
                tasks,
                contextStore,
                quota,
                (contextId, mountPath, policy) -> recycle.recordUpload(contextId, mountPath, policy.recyclePolicy()),
                syncPool,
                clock,
                config.writableRoots());
        BubblewrapSandboxRuntime runtime = new BubblewrapSandboxRuntime(SandboxConfig.defaults()
                .withWritableRoots(config.writableRoots())
                .withOutputCapBytes(config.commandOutputLimitBytes())
                .withLimits(config.sessionLimits()));
        this.sessions = new SessionService(
                config,
                sessionStore,
                contexts,
                sync,
                runtime,
                new ImageCatalog(config.dataDir().resolve("images"), config.images(), clock),
                live,
                clock);
        sessions.recover();

        this.timers = Executors.newScheduledThreadPool(2, named("openagb-timer"));
        long every = config.reaperInterval().toMillis();
        timers.scheduleWithFixedDelay(this::reap, every, every, TimeUnit.MILLISECONDS);
        long recycleEvery = config.recycleInterval().toMillis();
        timers.scheduleWithFixedDelay(this::recycleQuietly, recycleEvery, recycleEvery, TimeUnit.MILLISECONDS);
        long gcEvery = config.gcInterval().toMillis();
        if (gcEvery > 0) {
            timers.scheduleWithFixedDelay(this::collectQuietly, gcEvery, gcEvery, TimeUnit.MILLISECONDS);
        }
        long checkpointEvery = config.checkpointInterval().toMillis();
        if (checkpointEvery > 0) {
            timers.scheduleWithFixedDelay(this::checkpoint, checkpointEvery, checkpointEvery, TimeUnit.MILLISECONDS);
        }

        UrlSigner urlSigner = UrlSigner.shared(config.dataDir(), clock, database.jdbi());
        LinkTokens linkTokens = new LinkTokens(urlSigner.deriveKey("link-token"));
        PortLinks portLinks = new PortLinks(urlSigner.deriveKey("port-link"));
        Tools tools = new Tools();
        WsAuth wsAuth = new WsAuth() {
            @Override
            public String token(String sessionId) {
                return linkTokens.tokenFor(sessionId);
            }

            @Override
            public boolean allows(String sessionId, String token) {
                return linkTokens.matches(sessionId, token);
            }
        };
        ClusterRouter router = new ClusterRouter(nodeId, sessions, sessionStore, nodes, clock);
        this.webSockets = new WsRoutes(
                sessions,
                wsAuth,
                keys::authenticate,
                keys::isActive,
                config.webSocketLimits(),
                clock,
                router::remoteNodeUrl);
        this.http = HttpApp.start(
                config.host(),
                config.port(),
                config.maxRequestBytes(),
                keys::authenticate,
                List.of(
                        router::register,
                        new ContextRoutes(contexts)::register,
                        new VersionRoutes(new VersionService(contextStore, engine, quota))::register,
                        new SessionRoutes(sessions, linkTokens, config.publicBaseUrl(), clock)::register,
                        new SyncRoutes(sessions, sync, clock)::register,
                        new ToolRoutes(sessions, tools, clock)::register,
                        new LinkRoutes(sessions, tools, linkTokens, clock)::register,
                        new PortRoutes(sessions, portLinks, config.publicBaseUrl(), clock)::register,
                        new FileRoutes(
                                contexts,
                                engine,
                                objects,
                                urlSigner,
                                new Md5Store(database.jdbi()),
                                config.publicBaseUrl(),
                                config.fileUrlTtl(),
                                config.dataDir().resolve("tmp"))::register,
                        new InternalContextRoutes(sessions, contexts)::register,
                        webSockets::register));
        log.info(
                "event=server.started url={} dataDir={} database={}",
                baseUrl(),
                config.dataDir(),
                config.embeddedDatabase() ? "sqlite" : config.databaseUrl());
        if (bootstrapKey != null) {
            try {
                Files.writeString(config.dataDir().resolve(API_KEY_SHOWN_FILE), "");
            } catch (IOException e) {
                log.warn("Cannot write {}: {}", API_KEY_SHOWN_FILE, e.toString());
            }
        }
        // Registered once it can be reached: the registry names its URL.
        heartbeat();
        long beat = config.heartbeatInterval().toMillis();
        timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        sessions.warmUp();
        DataDirPermissions.restrictContents(config.dataDir());
    }

    /** Starts a server; the port is bound when this returns. */
    public static OpenAgbServer start(ServerConfig config) {
        return new OpenAgbServer(config);
    }

    private void reap() {
        try {
            sessions.reapIdle();
        } catch (RuntimeException e) {
            log.error("event=reaper.failed error=\"{}\"", e.getMessage(), e);
        }
    }

    /**
     * Runs the recycle reaper now (it also runs every {@link ServerConfig#recycleInterval()}): removes the entries
     * whose recycle lifecycle expired, one atomic commit per context. Returns how many entries were removed.
     */
    public long recycleExpired() {
        return recycle.reap();
    }

    /** Queues a checkpoint of every running session on the sync pool (skipped where a sync or release runs). */
    private void checkpoint() {
        try {
            for (LiveSession session : sessions.liveSessions()) {
                if (session.status() == SessionState.RUNNING) {
                    syncPool.submit(() -> sync.checkpoint(session));
                }
            }
        } catch (RuntimeException e) {
            log.warn("event=checkpoint.schedule.failed error=\"{}\"", e.toString());
        }
    }

    /** Writes this node's row of the registry and marks down the nodes that missed their heartbeats. */
    private void heartbeat() {
        try {
            long now = config.clock().millis();
            int live = (int) sessions.liveSessions().stream()
                    .filter(s -> s.status() == SessionState.RUNNING)
                    .count();
            nodes.heartbeat(
                    nodeId, nodeUrl(), config.maxSessionsPerKey(), config.sessionMemoryBudget(), capacity(), live, now);
            int down = nodes.markDown(now - config.nodeDownAfter().toMillis());
            if (down > 0) {
                log.warn("event=nodes.down count={} after={}", down, config.nodeDownAfter());
            }
            int lost = sessions.releaseLost();
            if (lost > 0) {
                log.warn("event=sessions.lost-by-cluster count={} (this node missed its heartbeats)", lost);
            }
        } catch (RuntimeException e) {
            log.warn("event=heartbeat.failed error=\"{}\"", e.getMessage());
        }
    }

    /** Where the other nodes reach this one: {@code --node-url}, else {@link #baseUrl()}. */
    public String nodeUrl() {
        return config.nodeUrl() != null ? config.nodeUrl() : baseUrl();
    }

    /**
     * How many sessions this node admits in all: its session memory budget over one session's memory limit (0 when
     * even one does not fit; a million when nothing limits it).
     */
    private int capacity() {
        long each = config.sessionLimits().memoryBytes();
        long budget = config.sessionMemoryBudget();
        return each <= 0 || budget == Long.MAX_VALUE ? 1_000_000 : (int) Math.min(1_000_000, budget / each);
    }

    /** The nodes sharing this server's database, as the registry knows them. */
    public java.util.List<NodeInfo> nodes() {
        return nodes.list();
    }

    /**
     * Collects unreferenced blobs, packs and manifests of every context now (see {@link GcService}); also runs every
     * {@link ServerConfig#gcInterval()}.
     */
    public GcSummary collectGarbage() {
        return gc.collectAll();
    }

    private void collectQuietly() {
        try {
            gc.collectAll();
        } catch (RuntimeException e) {
            log.error("event=gc.failed error=\"{}\"", e.getMessage(), e);
        }
    }

    private void recycleQuietly() {
        try {
            recycleExpired();
        } catch (RuntimeException e) {
            log.error("event=recycle.reaper.failed error=\"{}\"", e.getMessage(), e);
        }
    }

    /**
     * This node's id: sessions live on the node that created them (their files are in its data directory), so a
     * node keeps its id in {@code <dataDir>/node-id} and, sharing a database with others, recovers only its own.
     */
    private static String nodeId(Path dataDir) {
        Path file = dataDir.resolve("node-id");
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            String id = "node-"
                    + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot read or write the node id file '" + file + "': " + e.getMessage(), e);
        }
    }

    /** The id of this node (see {@code <dataDir>/node-id}). */
    public String nodeId() {
        return nodeId;
    }

    private static String bootstrap(ApiKeyStore keys, Path dataDir) {
        ApiKeyStore.NewKey key = keys.create("default");
        Path file = dataDir.resolve(API_KEY_FILE);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, key.secret() + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the API key file '" + file + "': " + e.getMessage(), e);
        }
        return key.secret();
    }

    /** The file that says the bootstrap key reached a caller of a successful start. */
    static final String API_KEY_SHOWN_FILE = "api-key.shown";

    /**
     * The bootstrap key of an earlier start that failed after creating it (its key file exists, but no start got as
     * far as handing it out), so that it is shown again; {@code null} otherwise.
     */
    private static String unshownBootstrapKey(Path dataDir) {
        Path file = dataDir.resolve(API_KEY_FILE);
        if (Files.exists(dataDir.resolve(API_KEY_SHOWN_FILE)) || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            return key.isEmpty() ? null : key;
        } catch (IOException e) {
            return null;
        }
    }

    /** The key created by this start, or by an earlier start that failed before handing it out. */
    public Optional<String> bootstrapApiKey() {
        return Optional.ofNullable(bootstrapKey);
    }

    /** Creates another API key (a new tenant) and returns its secret. */
    public String createApiKey(String name) {
        return keys.create(name).secret();
    }

    public int port() {
        return http.port();
    }

    public String baseUrl() {
        return "http://" + (config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host()) + ":" + port();
    }

    public ServerConfig config() {
        return config;
    }

    /** Graceful shutdown: stop taking requests, let running releases finish, stop sandboxes, close the database. */
    @Override
    public void close() {
        http.stop();
        webSockets.close();
        timers.shutdownNow();
        try {
            nodes.stopped(nodeId);
        } catch (RuntimeException e) {
            log.warn("event=nodes.stop error=\"{}\"", e.getMessage());
        }
        sessions.close();
        syncPool.shutdown();
        try {
            syncPool.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        database.close();
        if (objects instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("event=server.close objectStore error=\"{}\"", e.getMessage());
            }
        }
        log.info("event=server.stopped");
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
