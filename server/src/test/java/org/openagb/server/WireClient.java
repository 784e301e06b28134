package org.openagb.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A raw AGB wire client for tests: sends requests the way the official SDKs do (form-encoded query, JSON body,
 * {@code authorization: Bearer} header) and returns the parsed envelope with its HTTP status.
 */
final class WireClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: the HTTP status and the parsed body. */
    record Reply(int status, JsonNode body) {
        boolean success() {
            return body.path("success").asBoolean(false);
        }

        JsonNode data() {
            return body.path("data");
        }

        String code() {
            return body.path("code").asText();
        }

        String message() {
            return body.path("message").asText();
        }

        /** The text of a /mcp tool result. */
        String toolText() {
            return data().path("content").path(0).path("text").asText();
        }

        boolean toolError() {
            return data().path("isError").asBoolean(false);
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String apiKey;

    private final Map<String, String> headers;

    WireClient(String baseUrl, String apiKey) {
        this(baseUrl, apiKey, Map.of());
    }

    private WireClient(String baseUrl, String apiKey, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.headers = headers;
    }

    WireClient withKey(String key) {
        return new WireClient(baseUrl, key, headers);
    }

    /** The same client, sending one more header on every call. */
    WireClient withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new WireClient(baseUrl, apiKey, Map.copyOf(more));
    }

    Reply get(String path, Map<String, String> query) {
        return send("GET", path, query, null);
    }

    Reply post(String path, Map<String, String> query, Object body) {
        return send("POST", path, query, body);
    }

    Reply send(String method, String path, Map<String, String> query, Object body) {
        String q = query.isEmpty()
                ? ""
                : "?"
                        + query.entrySet().stream()
                                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                                .collect(Collectors.joining("&"));
        try {
            String bodyText = body == null
                    ? (method.equals("POST") ? "{}" : null)
                    : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path + q))
                    .timeout(Duration.ofSeconds(60))
                    .header("content-type", "application/json");
            if (apiKey != null) {
                request.header("authorization", "Bearer " + apiKey);
            }
            headers.forEach(request::header);
            request.method(
                    method,
                    bodyText == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(bodyText));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("Request " + method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // --- conveniences mirroring the SDK flows ---

    String context(String name) {
        Reply r = get("/sdk/GetContext", Map.of("name", name, "allowCreate", "true"));
        if (!r.success()) {
            throw new AssertionError("GetContext failed: " + r.body());
        }
        return r.data().path("id").asText();
    }

    Reply createSession(Map<String, Object> body) {
        return post("/mcp/createSession", Map.of("imageId", "agb-code-space-1"), body);
    }

    /** Creates a session mounting each (contextId, path, policy JSON) and waits for its downloads. */
    String session(String... contextPathPolicy) {
        java.util.List<Map<String, String>> mounts = new java.util.ArrayList<>();
        for (int i = 0; i < contextPathPolicy.length; i += 3) {
            mounts.add(Map.of(
                    "contextId",
                    contextPathPolicy[i],
                    "path",
                    contextPathPolicy[i + 1],
                    "policy",
                    contextPathPolicy[i + 2]));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (!mounts.isEmpty()) {
            body.put("persistenceDataList", mounts);
        }
        Reply r = createSession(body);
        if (!r.success()) {
            throw new AssertionError("createSession failed: " + r.body());
        }
        String id = r.data().path("sessionId").asText();
        awaitTasks(id);
        return id;
    }

    /** Polls GetContextInfo until every task is Success or Failed; returns the items. */
    JsonNode awaitTasks(String sessionId) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonNode items = tasks(sessionId);
            boolean done = true;
            for (JsonNode item : items) {
                String status = item.path("status").asText();
                done &= status.equals("Success") || status.equals("Failed");
            }
            if (done || System.currentTimeMillis() > deadline) {
                return items;
            }
            sleep(50);
        }
    }

    JsonNode tasks(String sessionId) {
        Reply r = get("/sdk/GetContextInfo", Map.of("sessionId", sessionId));
        if (!r.success()) {
            throw new AssertionError("GetContextInfo failed: " + r.body());
        }
        try {
            JsonNode outer = JSON.readTree(r.data().path("contextStatus").asText());
            JsonNode merged = JSON.createArrayNode();
            for (JsonNode o : outer) {
                if (o.path("type").asText().equals("data")) {
                    for (JsonNode item : JSON.readTree(o.path("data").asText())) {
                        ((com.fasterxml.jackson.databind.node.ArrayNode) merged).add(item);
                    }
                }
            }
            return merged;
        } catch (IOException e) {
            throw new AssertionError("contextStatus is not doubly-encoded JSON: " + r.body(), e);
        }
    }

    Reply tool(String sessionId, String name, Map<String, Object> args) {
        try {
            return post(
                    "/mcp",
                    Map.of("autoGenSession", "false"),
                    Map.of("args", JSON.writeValueAsString(args), "sessionId", sessionId, "name", name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a shell command and returns its stdout; fails the test on a non-zero exit. */
    String shell(String sessionId, String command) {
        Reply r = tool(sessionId, "shell", Map.of("command", command, "timeout_ms", 30_000));
        try {
            JsonNode result = JSON.readTree(r.toolText());
            if (r.toolError() || result.path("exit_code").asInt() != 0) {
                throw new AssertionError("command failed: " + command + " -> " + r.body());
            }
            return result.path("stdout").asText();
        } catch (IOException e) {
            throw new AssertionError("shell result is not JSON: " + r.body(), e);
        }
    }

    /** Uploads with SyncContext (no args = every auto-upload mount) and waits. */
    JsonNode sync(String sessionId) {
        Reply r = post("/sdk/SyncContext", Map.of("sessionId", sessionId), null);
        if (!r.success()) {
            throw new AssertionError("SyncContext failed: " + r.body());
        }
        return awaitTasks(sessionId);
    }

    /** releaseSessionAsync, then polls getSessionInfo until not found (like AGB.delete). */
    void release(String sessionId) {
        Reply r = post("/mcp/releaseSessionAsync", Map.of(), Map.of("sessionId", sessionId));
        if (!r.success()) {
            throw new AssertionError("releaseSessionAsync failed: " + r.body());
        }
        awaitGone(sessionId, 120_000);
    }

    void awaitGone(String sessionId, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            Reply info = post("/mcp/getSessionInfo", Map.of(), Map.of("sessionId", sessionId));
            if (!info.success() && info.code().equals("InvalidMcpSession.NotFound")) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("session " + sessionId + " was not released within " + timeoutMs + " ms");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
