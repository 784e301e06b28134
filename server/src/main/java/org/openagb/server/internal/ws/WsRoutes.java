package org.openagb.server.internal.ws;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.openagb.server.WebSocketLimits;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Envelope;
import org.openagb.server.internal.session.LiveSession;
import org.openagb.server.internal.session.SessionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint {@code /ws/<sessionId>} (the {@code wsUrl} of createSession and getSession; docs/websocket.md):
 * streamed {@code run_code} in the official SDKs' frame format.
 *
 * <p>The upgrade is refused with an HTTP error (the AGB envelope naming the reason) unless the request carries the
 * session's token ({@code X-Access-Token} header, or a {@code token} query parameter), the session runs on this node,
 * the API key that owns it is active, an API key sent along ({@code authorization}) is that key, and the session has
 * fewer than {@link WebSocketLimits#maxConnectionsPerSession()} connections. A released session's connections are
 * closed. Thread safe; {@link #close()} closes every connection and stops the run threads.
 */
public final class WsRoutes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WsRoutes.class);
    private static final String PATH = "/ws/{sessionId}";

    private final SessionService sessions;
    private final WsAuth auth;
    private final Function<String, Optional<String>> authenticate;
    private final Predicate<String> activeKey;
    private final WebSocketLimits limits;
    private final Clock clock;
    private final Function<String, Optional<String>> remoteNode;
    /** Relayed connections by Javalin's id of the socket. */
    private final Map<String, WsRelay> relays = new ConcurrentHashMap<>();

    private final ThreadPoolExecutor runs;
    private final ScheduledExecutorService pinger;
    /** Open connections by session id; an entry lives until the session is released. */
    private final Map<String, Set<WsConnection>> bySession = new ConcurrentHashMap<>();
    /** Open connections by Javalin's id of the socket. */
    private final Map<String, WsConnection> bySocket = new ConcurrentHashMap<>();

    /**
     * @param authenticate API key secret → tenant id (the key's id), as for the HTTP API
     * @param activeKey whether the key with this id exists and is not revoked
     * @param remoteNode session id → the URL of the other node that runs it, when another node that is up runs it
     */
    public WsRoutes(
            SessionService sessions,
            WsAuth auth,
            Function<String, Optional<String>> authenticate,
            Predicate<String> activeKey,
            WebSocketLimits limits,
            Clock clock,
            Function<String, Optional<String>> remoteNode) {
        this.remoteNode = remoteNode;
        this.sessions = sessions;
        this.auth = auth;
        this.authenticate = authenticate;
        this.activeKey = activeKey;
        this.limits = limits;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.runs = new ThreadPoolExecutor(
                0,
                limits.maxRunningCells(),
                60,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                r -> daemon(r, "openagb-ws-run-" + threads.incrementAndGet()));
        this.pinger = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "openagb-ws-ping"));
        long every = Math.max(50, limits.idleTimeout().toMillis() / 3);
        pinger.scheduleWithFixedDelay(this::pingBusyConnections, every, every, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The {@code wsUrl} of a session, on the host (and scheme, behind a TLS proxy) the client used. */
    public static String url(Context ctx, String sessionId) {
        String host = ctx.host() == null ? "127.0.0.1" : ctx.host();
        String scheme = "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")) ? "wss" : "ws";
        return scheme + "://" + host + "/ws/" + sessionId;
    }

    public void register(RoutesConfig routes) {
        routes.wsBeforeUpgrade(PATH, this::authorize);
        routes.ws(PATH, ws -> {
            ws.onConnect(this::connected);
            ws.onMessage(ctx -> {
                WsRelay relay = relays.get(ctx.sessionId());
                if (relay != null) {
                    relay.onClientText(ctx.message());
                    return;
                }
                connection(ctx).ifPresent(c -> c.onMessage(ctx.message()));
            });
            ws.onBinaryMessage(ctx ->
                    connection(ctx).ifPresent(c -> c.close(1003, "binary frames are not supported; send JSON text")));
            ws.onClose(ctx -> {
                WsRelay relay = relays.remove(ctx.sessionId());
                if (relay != null) {
                    relay.onClientClosed(ctx.status(), ctx.reason());
                }
                disconnected(ctx);
            });
            ws.onError(ctx -> {
                log.debug("event=ws.error error=\"{}\"", String.valueOf(ctx.error()));
                WsRelay relay = relays.remove(ctx.sessionId());
                if (relay != null) {
                    relay.onClientClosed(1001, "client error");
                }
                disconnected(ctx);
            });
        });
    }

    /**
     * Refuses the upgrade unless the caller may open this socket. The refusal is written here, since Javalin answers
     * an exception before an upgrade with its status only; rethrown, it stops the upgrade (and is logged once).
     */
    private void authorize(Context ctx) throws IOException {
        try {
            check(ctx);
        } catch (ApiException e) {
            Envelope.error(ctx, e.status(), e.code(), e.getMessage());
            byte[] body = ctx.result() == null ? new byte[0] : ctx.result().getBytes(StandardCharsets.UTF_8);
            HttpServletResponse response = ctx.res();
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.flushBuffer();
            throw e;
        }
    }

    private void check(Context ctx) {
        String id = ctx.pathParam("sessionId");
        String token = ctx.header("X-Access-Token");
        if (token == null || token.isBlank()) {
            token = ctx.queryParam("token");
        }
        if (token == null || token.isBlank()) {
            throw new ApiException(
                    401,
                    "InvalidToken",
                    "Missing token for the WebSocket of session '" + id
                            + "': send the token createSession or getSession returned in the X-Access-Token header");
        }
        if (!auth.allows(id, token)) {
            throw new ApiException(
                    403,
                    "InvalidToken",
                    "The token is not the token of session '" + id
                            + "' (use the token createSession or getSession returned with this wsUrl)");
        }
        if (!sessions.isLocal(id) && ctx.header(org.openagb.server.internal.http.Requests.FORWARDED_HEADER) == null) {
            Optional<String> node = remoteNode.apply(id);
            if (node.isPresent()) {
                ctx.attribute("relayTo", node.get()); // the session's node checks the key and its limits
                return;
            }
        }
        LiveSession session = sessions.runningById(id)
                .orElseThrow(() -> new ApiException(
                        404,
                        "InvalidSession.NotFound",
                        "Session '" + id + "' is not running on this server (it was released, or is being released)"));
        String apiKey = ctx.header("authorization");
        if (apiKey != null && !apiKey.isBlank()) {
            String secret = apiKey.startsWith("Bearer ") ? apiKey.substring(7).trim() : apiKey.trim();
            Optional<String> tenant = authenticate.apply(secret);
            if (tenant.isEmpty()) {
                throw new ApiException(401, "InvalidApiKey", "Invalid or revoked API key in the authorization header");
            }
            if (!tenant.get().equals(session.tenant())) {
                throw new ApiException(
                        403, "Forbidden", "Session '" + id + "' belongs to another API key than the one sent");
            }
        }
        if (!activeKey.test(session.tenant())) {
            throw new ApiException(
                    403,
                    "Forbidden",
                    "The API key that owns session '" + id + "' was revoked; its WebSocket is closed");
        }
        if (bySession.getOrDefault(id, Set.of()).size() >= limits.maxConnectionsPerSession()) {
            throw new ApiException(
                    429,
                    "TooManyConnections",
                    "Session '" + id + "' has " + limits.maxConnectionsPerSession()
                            + " open WebSocket connections already; close one first");
        }
    }

    private void connected(WsConnectContext ctx) {
        Session socket = ctx.session;
        socket.setIdleTimeout(limits.idleTimeout());
        socket.setMaxTextMessageSize(limits.maxMessageBytes());
        socket.setMaxBinaryMessageSize(1024);
        String id = ctx.pathParam("sessionId");
        String relayTo = ctx.attribute("relayTo");
        if (relayTo != null) {
            relay(ctx, id, relayTo);
            return;
        }
        Optional<LiveSession> live = sessions.runningById(id);
        if (live.isEmpty()) { // released between the upgrade and now
            socket.close(1008, "session " + id + " is not running", Callback.NOOP);
            return;
        }
        WsConnection connection = new WsConnection(
                live.get(),
                limits,
                runs,
                clock,
                (text, sent, failed) -> socket.sendText(text, Callback.from(sent, failed)),
                new WsConnection.Transport() {
                    @Override
                    public void close(int code, String reason) {
                        socket.close(code, reason, Callback.NOOP);
                    }

                    @Override
                    public void ping() {
                        socket.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
                    }
                });
        Set<WsConnection> fresh = ConcurrentHashMap.newKeySet();
        Set<WsConnection> open = bySession.putIfAbsent(id, fresh);
        if (open == null) {
            open = fresh;
            live.get().released().thenRun(() -> closeAll(id, 1001, "session " + id + " was released"));
        }
        if (open.size() >= limits.maxConnectionsPerSession()) {
            connection.close(1008, "too many connections to session " + id);
            return;
        }
        open.add(connection);
        bySocket.put(ctx.sessionId(), connection);
        log.info("event=ws.connected session={} connections={}", id, open.size());
    }

    /** Relays this client's socket to the node that runs the session. */
    private void relay(WsConnectContext ctx, String id, String nodeUrl) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String name : List.of("X-Access-Token", "authorization")) {
            String value = ctx.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        headers.put(org.openagb.server.internal.http.Requests.FORWARDED_HEADER, "ws");
        String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
        java.net.URI target = java.net.URI.create("ws" + nodeUrl.substring(nodeUrl.indexOf(':')) + "/ws/"
                + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8) + query);
        try {
            relays.put(ctx.sessionId(), WsRelay.open(ctx.session, target, headers));
            log.info("event=ws.relayed session={} node={}", id, nodeUrl);
        } catch (Exception e) {
            log.warn("event=ws.relay.failed session={} node={} error=\"{}\"", id, nodeUrl, e.toString());
            ctx.session.close(1011, "the node that runs session " + id + " cannot be reached; retry", Callback.NOOP);
        }
    }

    private Optional<WsConnection> connection(WsContext ctx) {
        return Optional.ofNullable(bySocket.get(ctx.sessionId()));
    }

    private void disconnected(WsContext ctx) {
        WsConnection connection = bySocket.remove(ctx.sessionId());
        if (connection != null) {
            connection.onClosed();
            Set<WsConnection> open = bySession.get(connection.sessionId());
            if (open != null) {
                open.remove(connection);
            }
            log.info("event=ws.disconnected session={}", connection.sessionId());
        }
    }

    private void closeAll(String sessionId, int code, String reason) {
        Set<WsConnection> open = bySession.remove(sessionId);
        if (open != null) {
            List.copyOf(open).forEach(c -> c.close(code, reason));
        }
    }

    /** Pings the connections with a cell in flight, so a long silent cell does not look idle. */
    private void pingBusyConnections() {
        bySocket.values().stream().filter(WsConnection::hasRuns).forEach(WsConnection::ping);
    }

    /** Closes every connection (their cells are cancelled) and stops the run threads. */
    @Override
    public void close() {
        for (String sessionId : List.copyOf(bySession.keySet())) {
            closeAll(sessionId, 1001, "server shutting down");
        }
        pinger.shutdownNow();
        runs.shutdown();
        try {
            if (!runs.awaitTermination(5, TimeUnit.SECONDS)) {
                runs.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runs.shutdownNow();
        }
    }
}
