package org.openagb.sdk;

import static org.openagb.sdk.internal.ApiClient.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.openagb.model.ContextSync;
import org.openagb.sdk.internal.ApiClient;
import org.openagb.sdk.internal.ApiResponse;
import org.openagb.sdk.internal.Json;
import org.openagb.sdk.internal.Parsers;

/**
 * The OpenAGB client: creates, finds and deletes sessions, and manages contexts through {@link #context()}. It speaks
 * the AGB REST protocol, so it works with any server the official SDKs work with.
 *
 * <pre>{@code
 * AGB agb = new AGB(); // AGB_API_KEY, AGB_ENDPOINT
 * Context context = agb.context().get("my-project", true).context();
 * SessionResult created = agb.create(CreateSessionParams.builder()
 *         .contextSyncs(ContextSync.create(context.id(), "/home/project", SyncPolicy.defaults()))
 *         .build());
 * Session session = created.session();
 * session.command().execute("echo hi > /home/project/a.txt");
 * agb.delete(session, true);
 * }</pre>
 *
 * <p>No call throws for server or network failures: every result has {@code success()}, {@code requestId()} and
 * {@code errorMessage()}, and a transport error names the endpoint and the cause. Arguments that can never work (a
 * blank name, a wildcard in a policy) throw {@link IllegalArgumentException} (policy problems as its subclass
 * {@link org.openagb.model.PolicyException}) before any request is sent.
 *
 * <p>Configuration is read only here: {@code AGB_API_KEY}, {@code AGB_ENDPOINT} (default {@value #DEFAULT_ENDPOINT};
 * {@code https://} is prepended when the scheme is missing, as in the official SDKs) and {@code AGB_TIMEOUT_MS}
 * (default 60000). Unlike the official SDKs, no {@code .env} file is read. Instances are thread-safe and hold no
 * resources that need closing.
 *
 * <p>Why it is this long: it is the SDK's entry point and mirrors the official SDKs' AGB class, one short method per
 * call of theirs, each with its sync and callback form.
 */
public final class AGB {
    /** The endpoint used when neither the builder nor {@code AGB_ENDPOINT} gives one: a local OpenAGB server. */
    public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:8765";

    /** The default request timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The default sleep between polls. The official SDKs sleep 2 s (create), 1.5 s (sync) and 1 s (delete); we keep
     * their total waiting budgets but poll faster, since an OpenAGB server is usually local.
     */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);

    /** How long {@link #create} waits for mount downloads (the official 150 tries × 2 s). */
    public static final Duration CREATE_WAIT = Duration.ofSeconds(300);

    /** How long {@link #delete} waits for the session to be released (the official 300 s). */
    public static final Duration DELETE_WAIT = Duration.ofSeconds(300);

    /** The page size of {@link #list()} (the official default). */
    public static final int DEFAULT_LIST_LIMIT = 10;

    private static final String SDK_STATS =
            "{\"source\":\"sdk\",\"sdk_language\":\"java\",\"sdk_version\":\"0.1.0\",\"is_release\":true}";

    private final ApiClient client;
    private final ContextService contexts;

    /**
     * A client configured from the environment.
     *
     * @throws IllegalArgumentException if {@code AGB_API_KEY} is unset or blank, or a setting is malformed
     */
    public AGB() {
        this(builder());
    }

    /**
     * A client with {@code apiKey}; endpoint and timeout from the environment.
     *
     * @throws IllegalArgumentException if {@code apiKey} is blank, or a setting is malformed
     */
    public AGB(String apiKey) {
        this(builder().apiKey(Objects.requireNonNullElse(apiKey, "")));
    }

    private AGB(Builder builder) {
        Function<String, String> env = builder.env;
        String apiKey = builder.apiKey != null ? builder.apiKey : env.apply("AGB_API_KEY");
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("Cannot create AGB client: the API key is missing (set AGB_API_KEY,"
                    + " or pass it to new AGB(apiKey) or AGB.builder().apiKey(..))");
        }
        String endpoint = builder.endpoint != null ? builder.endpoint : env.apply("AGB_ENDPOINT");
        Duration timeout = builder.timeout != null ? builder.timeout : timeoutFromEnv(env.apply("AGB_TIMEOUT_MS"));
        this.client = new ApiClient(normalizeEndpoint(endpoint), apiKey.strip(), timeout, builder.pollInterval);
        this.contexts = new ContextService(client);
    }

    /** A builder; unset settings fall back to the environment, then to the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL requests go to, such as {@code http://127.0.0.1:8765}. */
    public String endpoint() {
        return client.endpoint();
    }

    /** The account's contexts. */
    public ContextService context() {
        return contexts;
    }

    /** Creates a session from the default image, without mounts. */
    public SessionResult create() {
        return create(CreateSessionParams.defaults());
    }

    /**
     * Creates a session. When {@code params} mounts contexts, this waits (up to {@link #CREATE_WAIT}) until every
     * download task the server registered is {@code Success} or {@code Failed}; a failed download does not fail the
     * create, check {@code session.context().info()}.
     */
    public SessionResult create(CreateSessionParams params) {
        Objects.requireNonNull(params, "params");
        ApiResponse response = client.post(
                "/mcp/createSession", query("imageId", params.imageId(), "sdkStats", SDK_STATS), createBody(params));
        if (response.body() == null) {
            return new SessionResult(false, response.requestId(), response.errorMessage(), null);
        }
        JsonNode data = response.data();
        if (data.path("success").isBoolean() && !data.path("success").booleanValue()) {
            String error = Json.text(data, "errMsg");
            return new SessionResult(
                    false, response.requestId(), error.isEmpty() ? response.errorMessage() : error, null);
        }
        String sessionId = Json.text(data, "sessionId");
        if (sessionId.isEmpty()) {
            String error = Json.text(data, "errMsg");
            return new SessionResult(
                    false, response.requestId(), error.isEmpty() ? response.errorMessage() : error, null);
        }
        Session session = session(sessionId, data, params.imageId());
        if (!params.contextSyncs().isEmpty()) {
            awaitDownloads(session);
        }
        return new SessionResult(true, response.requestId(), "", session);
    }

    /** The JSON body of createSession (WIRE.md §2.1): keys present only when set, policies as JSON strings. */
    static Map<String, Object> createBody(CreateSessionParams params) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (!params.contextSyncs().isEmpty()) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (ContextSync sync : params.contextSyncs()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("contextId", sync.contextId());
                item.put("path", sync.path());
                item.put("policy", Json.write(sync.policy()));
                if (sync.version() != null) {
                    item.put("version", sync.version());
                }
                items.add(item);
            }
            body.put("persistenceDataList", items);
        }
        if (!params.labels().isEmpty()) {
            body.put("labels", Json.write(params.labels()));
        }
        if (params.mcpPolicyId() != null && !params.mcpPolicyId().isEmpty()) {
            body.put("mcpPolicyId", params.mcpPolicyId());
        }
        if (params.idleTimeout() != null && params.idleTimeout().toSeconds() > 0) {
            body.put("timeout", params.idleTimeout().toSeconds());
        }
        return body;
    }

    private void awaitDownloads(Session session) {
        long deadline = System.nanoTime() + CREATE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ContextInfoResult info = session.context().info();
            if (!info.success() || info.statuses().stream().allMatch(ContextStatus::finished)) {
                return;
            }
            if (!client.pause()) {
                return;
            }
        }
    }

    /**
     * Finds a live session by id.
     *
     * @throws IllegalArgumentException if {@code sessionId} is blank
     */
    public SessionResult get(String sessionId) {
        if (sessionId == null || sessionId.isBlank()) {
            throw new IllegalArgumentException(
                    "Cannot get session '" + sessionId + "': the id is blank (use Session.id() of a created session)");
        }
        ApiResponse response = client.post("/mcp/getSession", null, Map.of("sessionId", sessionId));
        if (!response.ok()) {
            return new SessionResult(
                    false,
                    response.requestId(),
                    "Failed to get session " + sessionId + ": " + response.errorMessage(),
                    null);
        }
        JsonNode data = response.data();
        String id = Json.text(data, "sessionId", sessionId);
        return new SessionResult(
                true,
                response.requestId(),
                "",
                session(id.isEmpty() ? sessionId : id, data, Json.text(data, "imageId")));
    }

    private Session session(String id, JsonNode data, String imageId) {
        return new Session(
                client,
                id,
                Json.text(data, "resourceUrl"),
                Json.text(data, "appInstanceId"),
                Json.text(data, "resourceId"),
                imageId);
    }

    /** The first page of 10 live sessions of the account. */
    public SessionListResult list() {
        return list(Map.of(), 1, DEFAULT_LIST_LIMIT);
    }

    /**
     * Page {@code page} (from 1) of the live sessions whose labels include all of {@code labels}, {@code limit} per
     * page (ListSession). As in the official SDK, page N is reached by reading pages 1 … N−1 first and following their
     * tokens; if they run out, the result fails with "Cannot reach page N: No more pages available". Use the result's
     * {@link SessionListResult#nextToken()} to see whether more pages follow.
     *
     * @param labels labels every listed session must have (AND); empty for all sessions
     * @throws IllegalArgumentException if {@code labels} is null, or {@code page} or {@code limit} is below 1
     */
    public SessionListResult list(Map<String, String> labels, int page, int limit) {
        if (labels == null) {
            throw new IllegalArgumentException(
                    "Cannot list sessions with labels 'null': pass Map.of() to list every session");
        }
        if (page < 1 || limit < 1) {
            throw new IllegalArgumentException("Cannot reach page " + page + " of size " + limit
                    + ": both must be at least 1 (pages count from 1; the default size is " + DEFAULT_LIST_LIMIT
                    + ")");
        }
        String labelsJson = Json.write(new java.util.TreeMap<>(labels));
        String nextToken = null;
        for (int current = 1; current < page; current++) {
            ApiResponse response = client.get(
                    "/sdk/ListSession",
                    query("labels", labelsJson, "maxResults", String.valueOf(limit), "nextToken", nextToken));
            if (!response.ok()) {
                return new SessionListResult(
                        false,
                        response.requestId(),
                        "Cannot reach page " + page + ": " + response.errorMessage(),
                        List.of(),
                        "",
                        limit,
                        0);
            }
            nextToken = Json.text(response.body(), "nextToken");
            if (nextToken.isEmpty()) {
                return new SessionListResult(
                        false,
                        response.requestId(),
                        "Cannot reach page " + page + ": No more pages available (there are "
                                + response.body().path("count").asInt(0) + " sessions, " + limit + " per page)",
                        List.of(),
                        "",
                        limit,
                        response.body().path("count").asInt(0));
            }
        }
        ApiResponse response = client.get(
                "/sdk/ListSession",
                query("labels", labelsJson, "maxResults", String.valueOf(limit), "nextToken", nextToken));
        if (!response.ok()) {
            return new SessionListResult(
                    false,
                    response.requestId(),
                    "Failed to list sessions: " + response.errorMessage(),
                    List.of(),
                    "",
                    limit,
                    0);
        }
        JsonNode body = response.body();
        List<SessionSummary> sessions = Parsers.sessions(response.data());
        return new SessionListResult(
                true,
                response.requestId(),
                "",
                sessions,
                Json.text(body, "nextToken"),
                body.path("maxResults").asInt(limit),
                body.path("count").asInt(sessions.size()));
    }

    /** Releases {@code session} without syncing first; same as {@code delete(session, false)}. */
    public DeleteResult delete(Session session) {
        return delete(session, false);
    }

    /**
     * Releases {@code session} and waits (up to {@link #DELETE_WAIT}) until the server reports it gone. With
     * {@code syncContext}, first uploads every autoUpload mount with {@link SessionContext#sync()}; a failed sync does
     * not stop the delete. Mounts with {@code autoUpload} are uploaded by the release itself either way.
     */
    public DeleteResult delete(Session session, boolean syncContext) {
        Objects.requireNonNull(session, "session");
        if (syncContext) {
            session.context().sync();
        }
        Map<String, Object> body = Map.of("sessionId", session.id());
        ApiResponse release = client.post("/mcp/releaseSessionAsync", null, body);
        if (!release.ok()) {
            return new DeleteResult(
                    false,
                    release.requestId(),
                    "Failed to delete session " + session.id() + ": " + release.errorMessage());
        }
        long deadline = System.nanoTime() + DELETE_WAIT.toNanos();
        while (true) {
            ApiResponse info = client.post("/mcp/getSessionInfo", null, body);
            String status = Json.text(info.data(), "status", Json.text(info.data(), "Status"));
            if ((info.ok() && (status.equals("FINISH") || status.equals("DELETED"))) || info.sessionNotFound()) {
                return new DeleteResult(true, release.requestId(), "");
            }
            if (System.nanoTime() > deadline) {
                return new DeleteResult(
                        false,
                        release.requestId(),
                        "Cannot delete session '" + session.id() + "': still not released after "
                                + DELETE_WAIT.toSeconds() + " s (last status '" + status
                                + "'; check the server logs)");
            }
            if (!client.pause()) {
                return new DeleteResult(
                        false, release.requestId(), "Cannot delete session '" + session.id() + "': interrupted");
            }
        }
    }

    static String normalizeEndpoint(String endpoint) {
        String value = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.strip();
        if (!value.startsWith("http://") && !value.startsWith("https://")) {
            value = "https://" + value;
        }
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        try {
            URI uri = URI.create(value);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot use endpoint '" + endpoint + "': it is not a valid URL ("
                    + "use host:port or http://host:port, such as '" + DEFAULT_ENDPOINT + "')");
        }
        return value;
    }

    private static Duration timeoutFromEnv(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            long millis = Long.parseLong(value.strip());
            if (millis > 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Cannot use AGB_TIMEOUT_MS '" + value
                + "': it is not a positive number of milliseconds (set it to e.g. 60000, or unset it)");
    }

    /** Builds an {@link AGB}. Not thread-safe. */
    public static final class Builder {
        private String apiKey;
        private String endpoint;
        private Duration timeout;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Function<String, String> env = System::getenv;

        private Builder() {}

        /** The API key; overrides {@code AGB_API_KEY}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** The server, such as {@code http://127.0.0.1:8765} or {@code agb.example.com}; overrides AGB_ENDPOINT. */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The timeout of each request; overrides {@code AGB_TIMEOUT_MS}. */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(
                        "Cannot use timeout '" + timeout + "': it must be positive (use e.g. Duration.ofSeconds(60))");
            }
            this.timeout = timeout;
            return this;
        }

        /** The sleep between polls of create, sync, delete and clear (default {@link #DEFAULT_POLL_INTERVAL}). */
        public Builder pollInterval(Duration pollInterval) {
            if (pollInterval == null || pollInterval.isNegative()) {
                throw new IllegalArgumentException("Cannot use poll interval '" + pollInterval
                        + "': it must not be negative (use e.g. Duration.ofMillis(200))");
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /** Where settings not given come from; tests replace {@code System.getenv}. */
        Builder env(Function<String, String> env) {
            this.env = env;
            return this;
        }

        /**
         * @throws IllegalArgumentException if no API key is given or set, or a setting is malformed
         */
        public AGB build() {
            return new AGB(this);
        }
    }
}
