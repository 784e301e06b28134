package org.openagb.server.internal.session;

import static org.openagb.server.internal.http.Requests.param;
import static org.openagb.server.internal.http.Requests.required;
import static org.openagb.server.internal.http.Requests.tenant;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Envelope;
import org.openagb.server.internal.http.Json;
import org.openagb.server.internal.http.Requests;

/** The session endpoints of WIRE.md §2. */
public final class SessionRoutes {
    private final SessionService sessions;
    private final LinkTokens linkTokens;
    private final String publicBaseUrl;
    private final Clock clock;

    /**
     * @param linkTokens the tokens of the sessions' linkUrls and wsUrls (the SDKs send one {@code token} for both)
     * @param publicBaseUrl the base of URLs handed to clients, or null to use the request's Host
     */
    public SessionRoutes(SessionService sessions, LinkTokens linkTokens, String publicBaseUrl, Clock clock) {
        this.sessions = sessions;
        this.linkTokens = linkTokens;
        this.publicBaseUrl = publicBaseUrl;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post("/mcp/createSession", this::create);
        routes.post("/mcp/getSession", this::get);
        routes.post("/mcp/getSessionInfo", this::info);
        routes.post("/mcp/releaseSessionAsync", this::releaseAsync);
        routes.post("/mcp/releaseSession", this::release);
        routes.post("/mcp/refreshSessionIdleTime", this::refresh);
        routes.post("/mcp/getMcpResource", this::resource);
        routes.post("/mcp/listTools", ctx -> Envelope.ok(ctx, ToolList.json()));
        routes.post("/sdk/SetLabel", this::setLabel);
        routes.get("/sdk/GetLabel", this::getLabel);
        routes.post("/sdk/GetLabel", this::getLabel);
        routes.get("/sdk/ListSession", this::list);
        routes.post("/sdk/ListSession", this::list);
    }

    private void create(Context ctx) {
        LiveSession session =
                sessions.create(tenant(ctx), CreateSessionRequest.parse(param(ctx, "imageId"), Requests.body(ctx)));
        Map<String, Object> data = describe(ctx, session.record());
        data.put("success", true);
        data.put("errMsg", "");
        Envelope.ok(ctx, data);
    }

    private void get(Context ctx) {
        SessionRecord record = visible(ctx);
        Envelope.ok(ctx, describe(ctx, record));
    }

    private void info(Context ctx) {
        // Deliberately does not count as activity: idle release must still happen while a client polls.
        SessionRecord record = visible(ctx);
        Envelope.ok(ctx, Map.of("status", record.status().name(), "sessionId", record.id()));
    }

    private void releaseAsync(Context ctx) {
        sessions.releaseAsync(tenant(ctx), required(ctx, "sessionId"));
        Envelope.ok(ctx, null);
    }

    private void release(Context ctx) {
        String id = required(ctx, "sessionId");
        try {
            // Under the SDKs' HTTP timeout: a longer release answers 504 and goes on in the background.
            sessions.releaseAsync(tenant(ctx), id).get(55, java.util.concurrent.TimeUnit.SECONDS);
            Envelope.ok(ctx, null);
            return;
        } catch (java.util.concurrent.TimeoutException e) {
            // Still uploading: said below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Release of session " + id + " failed: " + e.getCause(), e.getCause());
        }
        throw new ApiException(
                504,
                "ReleaseInProgress",
                "Session " + id
                        + " is still being released (its upload is running); poll getSessionInfo until it is not found");
    }

    private void refresh(Context ctx) {
        String id = required(ctx, "sessionId");
        sessions.running(tenant(ctx), id)
                .orElseThrow(() -> ApiException.sessionNotFound(id))
                .touch(clock.millis());
        Envelope.ok(ctx, null);
    }

    private void resource(Context ctx) {
        SessionRecord record = visible(ctx);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sessionId", record.id());
        data.put("resourceUrl", resourceUrl(ctx, record));
        Envelope.ok(ctx, data);
    }

    private void setLabel(Context ctx) {
        String labels = param(ctx, "Labels");
        if (labels == null) {
            labels = param(ctx, "labels");
        }
        if (labels == null) {
            throw ApiException.invalid(
                    "Missing required parameter 'Labels' (a JSON object string such as {\"k\":\"v\"})");
        }
        sessions.setLabels(tenant(ctx), required(ctx, "sessionId"), labels);
        Envelope.ok(ctx, null);
    }

    private void getLabel(Context ctx) {
        String labels = sessions.labels(tenant(ctx), required(ctx, "sessionId"));
        Envelope.ok(ctx, Map.of("labels", labels));
    }

    private void list(Context ctx) {
        String labels = param(ctx, "labels");
        Map<String, String> wanted = labels == null || labels.isBlank()
                ? Map.of()
                : Json.MAPPER.convertValue(
                        Json.parse("labels", labels),
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
        int max = Requests.intParam(ctx, "maxResults", 10, 1, 1000);
        String token = param(ctx, "nextToken");
        int offset = 0;
        if (token != null && !token.isBlank()) {
            try {
                offset = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw ApiException.invalid("Parameter 'nextToken' ('" + token
                        + "') is not a token this server issued (pass the nextToken of the previous page)");
            }
        }
        List<SessionRecord> matches = sessions.list(tenant(ctx), wanted);
        int from = Math.min(offset, matches.size());
        int to = Math.min(from + max, matches.size());
        List<Map<String, Object>> page = matches.subList(from, to).stream()
                .map(r -> Map.<String, Object>of(
                        "sessionId", r.id(), "sessionStatus", r.status().name()))
                .toList();
        String next = to < matches.size() ? String.valueOf(to) : "";
        Envelope.ok(ctx, page, Map.of("nextToken", next, "maxResults", max, "count", matches.size()));
    }

    /** The session named by {@code sessionId}, running or being released, of this request's key. */
    private SessionRecord visible(Context ctx) {
        String id = required(ctx, "sessionId");
        return sessions.visible(tenant(ctx), id).orElseThrow(() -> ApiException.sessionNotFound(id));
    }

    private Map<String, Object> describe(Context ctx, SessionRecord record) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sessionId", record.id());
        data.put("appInstanceId", "app-" + record.id().substring("session-".length()));
        data.put("resourceId", "res-" + record.id().substring("session-".length()));
        data.put("resourceUrl", resourceUrl(ctx, record));
        data.put("status", record.status().name());
        data.put("imageId", record.imageId());
        String base = Requests.baseUrl(ctx, publicBaseUrl);
        data.put("linkUrl", base + "/link/" + record.id());
        data.put(
                "wsUrl",
                (base.startsWith("https:") ? "wss" : "ws") + base.substring(base.indexOf(':')) + "/ws/" + record.id());
        data.put("token", linkTokens.tokenFor(record.id()));
        data.put("toolList", ToolList.namesAndServers());
        return data;
    }

    private static String resourceUrl(Context ctx, SessionRecord record) {
        String host = ctx.host() == null ? "127.0.0.1" : ctx.host();
        return "http://" + host + "/resource?resourceId=res-" + record.id().substring("session-".length())
                + "&sessionId=" + record.id();
    }
}
