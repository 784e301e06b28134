package org.openagb.server.internal.cluster;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.openagb.server.NodeInfo;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Requests;
import org.openagb.server.internal.nodes.NodeRegistry;
import org.openagb.server.internal.session.SessionService;
import org.openagb.server.internal.session.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes any node answer for any session. A call about a session that runs on another node that is up is forwarded to
 * it ({@link Forwarder}); a call about a session of a node that is down says the session was lost; createSession
 * places the new session on the least loaded node with room. Runs before the routes, after authentication; a call
 * another node forwarded is never forwarded again (one hop), and sessions of this node never leave it, so a single
 * node pays one map lookup per call.
 *
 * <p>Which session a call is about: the {@code sessionId} parameter (query or JSON body) of the {@code /mcp},
 * {@code /sdk} and {@code /internet} endpoints, the path of {@code /link/<id>/…} and of a port link {@code /p/<token>}.
 * For the API-key endpoints, only a session of the caller's key is forwarded (another key's is not found, here).
 */
public final class ClusterRouter {
    private static final Logger log = LoggerFactory.getLogger(ClusterRouter.class);

    /** The calls a node answers itself for a session that was lost with its node: they read or end the row. */
    private static final Set<String> ANSWERED_FOR_LOST =
            Set.of("/mcp/getSession", "/mcp/getSessionInfo", "/mcp/releaseSession", "/mcp/releaseSessionAsync");

    /** The session calls that stay here: ListSession reads every node's rows from the database. */
    private static final Set<String> NOT_ROUTED = Set.of("/sdk/ListSession", "/mcp/listTools", "/mcp/createSession");

    private final String nodeId;
    private final SessionService sessions;
    private final SessionStore store;
    private final NodeRegistry nodes;
    private final Forwarder forwarder;
    private final Clock clock;

    /** Session → (node, key): a session never moves, so what was read once stays true. Bounded. */
    private final Map<String, SessionStore.Owner> owners = new ConcurrentHashMap<>();

    private static final int MAX_OWNERS = 100_000;

    /** Node rows, read again after {@link #NODE_TTL}: a node's status changes, its URL rarely. */
    private final Map<String, Cached> nodeCache = new ConcurrentHashMap<>();

    private static final Duration NODE_TTL = Duration.ofSeconds(1);

    private record Cached(Optional<NodeInfo> node, long readAt) {}

    public ClusterRouter(String nodeId, SessionService sessions, SessionStore store, NodeRegistry nodes, Clock clock) {
        this.nodeId = nodeId;
        this.sessions = sessions;
        this.store = store;
        this.nodes = nodes;
        this.clock = clock;
        this.forwarder = new Forwarder(nodeId, Duration.ofSeconds(2), Duration.ofMinutes(10));
    }

    public void register(RoutesConfig routes) {
        routes.before(this::route);
    }

    private void route(Context ctx) throws IOException {
        if (Requests.forwarded(ctx)) {
            return; // one hop: the node that forwarded it decided this node answers
        }
        String path = ctx.path();
        if (path.equals("/mcp/createSession")) {
            place(ctx);
            return;
        }
        String sessionId;
        boolean byKey;
        if (path.startsWith("/link/")) {
            sessionId = segment(path, "/link/".length(), '/');
            byKey = false;
        } else if (path.startsWith("/p/")) {
            // A port link's token starts with its session id (see PortLinks); the owner checks the signature.
            sessionId = segment(path, "/p/".length(), '.');
            byKey = false;
        } else if ((path.startsWith("/mcp") || path.startsWith("/sdk/") || path.startsWith("/internet/"))
                && !NOT_ROUTED.contains(path)) {
            try {
                sessionId = Requests.param(ctx, "sessionId");
            } catch (ApiException badBody) {
                return; // the route says what is wrong with it
            }
            byKey = true;
        } else {
            return;
        }
        if (sessionId == null || sessionId.isBlank() || sessions.isLocal(sessionId)) {
            return;
        }
        SessionStore.Owner owner = owner(sessionId).orElse(null);
        if (owner == null || owner.nodeId() == null || owner.nodeId().equals(nodeId)) {
            return;
        }
        if (byKey && !owner.tenant().equals(Requests.tenant(ctx))) {
            return; // another key's session: not found, here
        }
        NodeInfo node = node(owner.nodeId()).orElse(null);
        if (node == null) {
            return;
        }
        switch (node.status()) {
            case UP -> {
                Forwarder.write(ctx, forwarder.send(ctx, node, sessionId));
                ctx.skipRemainingHandlers();
            }
            case DOWN -> {
                if (!ANSWERED_FOR_LOST.contains(path)) {
                    throw lost(sessionId, node);
                }
            }
            case STOPPED ->
                throw Forwarder.unavailable(
                        sessionId,
                        node,
                        "it was stopped at " + java.time.Instant.ofEpochMilli(node.heartbeatAtMillis())
                                + "; its sessions come back when it starts again");
        }
    }

    /** The URL of the other node, up, that runs the session; empty if it runs here, nowhere, or on a node not up. */
    public Optional<String> remoteNodeUrl(String sessionId) {
        if (sessionId == null || sessions.isLocal(sessionId)) {
            return Optional.empty();
        }
        return owner(sessionId)
                .filter(o -> o.nodeId() != null && !o.nodeId().equals(nodeId))
                .flatMap(o -> node(o.nodeId()))
                .filter(n -> n.status() == NodeInfo.Status.UP)
                .map(NodeInfo::url);
    }

    /**
     * Places a new session: on the node that is up with the lowest share of its capacity in use, this node when equal
     * (any of the others when they are equal);
     * a node that refuses for capacity or cannot be reached is skipped for the next. With one node, nothing to do.
     */
    private void place(Context ctx) throws IOException {
        List<NodeInfo> up = new ArrayList<>();
        for (NodeInfo n : nodes.list()) {
            if (n.status() == NodeInfo.Status.UP) {
                up.add(n);
            }
        }
        if (up.size() < 2) {
            return;
        }
        Map<String, Integer> running = store.runningPerNode();
        List<NodeInfo> candidates = new ArrayList<>();
        for (NodeInfo n : up) {
            if (running.getOrDefault(n.id(), 0) < n.capacity()) {
                candidates.add(n);
            }
        }
        // Shuffled first, then a stable sort: among other nodes equally loaded, any may get it (one at a time,
        // sessions created and released in turn would otherwise all go to the same node).
        java.util.Collections.shuffle(candidates);
        candidates.sort(
                Comparator.<NodeInfo>comparingDouble(n -> load(n, running)).thenComparing(n -> !n.id().equals(nodeId)));
        for (NodeInfo candidate : candidates) {
            if (candidate.id().equals(nodeId)) {
                return; // created here, by the route
            }
            Forwarder.Answer answer;
            try {
                answer = forwarder.send(ctx, candidate, "(new)");
            } catch (ApiException unreachable) {
                log.warn("event=placement.skip node={} reason=\"{}\"", candidate.id(), unreachable.getMessage());
                continue;
            }
            byte[] body = Forwarder.readAll(answer);
            if (answer.status() == 503) {
                log.info("event=placement.skip node={} reason=capacity", candidate.id());
                continue;
            }
            Forwarder.write(
                    ctx,
                    new Forwarder.Answer(answer.status(), answer.headers(), new java.io.ByteArrayInputStream(body)));
            ctx.skipRemainingHandlers();
            log.info("event=session.placed node={}", candidate.id());
            return;
        }
        // Every other node refused or is unreachable: this node tries, and says why if it cannot either.
    }

    private static double load(NodeInfo n, Map<String, Integer> running) {
        int live = running.getOrDefault(n.id(), 0);
        return n.capacity() <= 0 ? Double.MAX_VALUE : (double) live / n.capacity();
    }

    private Optional<SessionStore.Owner> owner(String sessionId) {
        SessionStore.Owner known = owners.get(sessionId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<SessionStore.Owner> read = store.owner(sessionId);
        read.ifPresent(o -> {
            if (owners.size() >= MAX_OWNERS) {
                owners.clear();
            }
            owners.put(sessionId, o);
        });
        return read;
    }

    private Optional<NodeInfo> node(String id) {
        long now = clock.millis();
        Cached cached = nodeCache.get(id);
        if (cached == null || now - cached.readAt() > NODE_TTL.toMillis()) {
            cached = new Cached(nodes.find(id), now);
            nodeCache.put(id, cached);
        }
        return cached.node();
    }

    private static ApiException lost(String sessionId, NodeInfo node) {
        return new ApiException(
                400,
                "InvalidMcpSession.Lost",
                "Session '" + sessionId + "' was lost: its node " + node.id() + " stopped answering (last heartbeat "
                        + java.time.Instant.ofEpochMilli(node.heartbeatAtMillis()) + "). Its contexts keep what its"
                        + " last checkpoint uploaded; create a new session to go on (and release this one)");
    }

    /** The path segment that starts at {@code from}, up to {@code end} or '/'. */
    private static String segment(String path, int from, char end) {
        int stop = from;
        while (stop < path.length() && path.charAt(stop) != end && path.charAt(stop) != '/') {
            stop++;
        }
        return path.substring(from, stop);
    }
}
