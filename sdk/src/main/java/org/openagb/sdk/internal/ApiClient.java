package org.openagb.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.openagb.sdk.TransferListener;

/**
 * Speaks WIRE.md over {@code java.net.http}: bearer auth, JSON bodies ({@code {}} when empty), form-encoded queries,
 * and the response envelope. Never throws for transport problems; they become a failed {@link ApiResponse}.
 * Thread-safe.
 */
public final class ApiClient {
    /** Extra time a tool call's HTTP request gets beyond the tool's own timeout, for the reply to arrive. */
    public static final Duration TOOL_TIMEOUT_MARGIN = Duration.ofSeconds(10);

    private final String endpoint;
    private final String apiKey;
    private final Duration timeout;
    private final Duration pollInterval;
    private final HttpClient http;
    private final ExecutorService executor;

    public ApiClient(String endpoint, String apiKey, Duration timeout, Duration pollInterval) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.pollInterval = pollInterval;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "openagb-sdk-async");
            thread.setDaemon(true);
            return thread;
        });
    }

    public String endpoint() {
        return endpoint;
    }

    /** How long polling loops sleep between tries. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** Runs background work such as {@code syncAsync}; daemon threads, so it never keeps the JVM alive. */
    public ExecutorService executor() {
        return executor;
    }

    public ApiResponse get(String path, Map<String, ?> query) {
        return send("GET", path, query, null, timeout);
    }

    /** POSTs {@code body} as JSON; a {@code null} or empty body is sent as {@code {}}. */
    public ApiResponse post(String path, Map<String, ?> query, Map<String, ?> body) {
        return post(path, query, body, timeout);
    }

    private ApiResponse post(String path, Map<String, ?> query, Map<String, ?> body, Duration requestTimeout) {
        return send("POST", path, query, body == null || body.isEmpty() ? "{}" : Json.write(body), requestTimeout);
    }

    /** Calls a tool through {@code POST /mcp?autoGenSession=false} with {@code args} as a JSON string. */
    public ToolResponse callTool(String sessionId, String name, Map<String, ?> args) {
        return callTool(sessionId, name, args, null);
    }

    /**
     * Calls a tool that may itself run for up to {@code toolTimeout} (such as {@code shell} with its
     * {@code timeout_ms}): the HTTP request then waits that long plus {@link #TOOL_TIMEOUT_MARGIN} if that is more
     * than the client's timeout, so a long command is not cut off by the client before the server answers.
     *
     * @param toolTimeout how long the tool may run, or {@code null} for the client's timeout
     */
    public ToolResponse callTool(String sessionId, String name, Map<String, ?> args, Duration toolTimeout) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("args", Json.write(args));
        body.put("sessionId", sessionId);
        body.put("name", name);
        Duration requestTimeout = timeout;
        if (toolTimeout != null && toolTimeout.plus(TOOL_TIMEOUT_MARGIN).compareTo(timeout) > 0) {
            requestTimeout = toolTimeout.plus(TOOL_TIMEOUT_MARGIN);
        }
        ApiResponse response = post("/mcp", Map.of("autoGenSession", "false"), body, requestTimeout);
        if (response.transportError() != null || response.body() == null) {
            return new ToolResponse(false, response.requestId(), response.errorMessage(), null);
        }
        JsonNode data = response.data();
        String text = toolText(data);
        boolean isError = data.path("isError").asBoolean(false);
        if (response.ok() && !isError) {
            return new ToolResponse(true, response.requestId(), "", text);
        }
        String message = response.message();
        String error = !message.isEmpty() ? message : text != null && !text.isEmpty() ? text : response.errorMessage();
        return new ToolResponse(false, response.requestId(), error, text);
    }

    /** Joins the {@code text} of every text item; without any, the first image's {@code data} (WIRE §4.2). */
    static String toolText(JsonNode data) {
        JsonNode content = data.path("content");
        if (!content.isArray()) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode item : content) {
            if ("text".equals(item.path("type").asText())) {
                texts.add(item.path("text").asText(""));
            }
        }
        if (!texts.isEmpty()) {
            return String.join("\n", texts);
        }
        for (JsonNode item : content) {
            if ("image".equals(item.path("type").asText())) {
                return item.path("data").asText(null);
            }
        }
        return null;
    }

    /**
     * Streams {@code file} to a presigned {@code url} with {@code PUT} (WIRE §6.6): no API key, {@code Content-Length}
     * set, the body read from disk chunk by chunk. The request may take the client's timeout plus one second per MiB.
     */
    public TransferResponse putFile(String url, Path file, TransferListener listener) {
        AtomicLong sent = new AtomicLong();
        String where = "PUT " + url;
        try {
            HttpRequest.BodyPublisher body = Streams.counting(HttpRequest.BodyPublishers.ofFile(file), sent, listener);
            long size = body.contentLength();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout.plusSeconds(Math.max(0, size) >> 20))
                    .PUT(body)
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (sent.get() == 0) {
                Streams.report(listener, 0, size);
            }
            return new TransferResponse(response.statusCode(), sent.get(), null);
        } catch (IllegalArgumentException e) {
            return new TransferResponse(0, 0, "Cannot call " + where + ": invalid URL (" + e.getMessage() + ")");
        } catch (IOException e) {
            return new TransferResponse(0, sent.get(), "Cannot call " + where + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TransferResponse(0, sent.get(), "Cannot call " + where + ": interrupted");
        }
    }

    /**
     * Streams a presigned {@code url}'s body into {@code target} with {@code GET} (WIRE §6.6): no API key, written to
     * disk chunk by chunk. Only a 200 body is written; on another status {@code target} is left untouched.
     */
    public TransferResponse getFile(String url, Path target, TransferListener listener) {
        AtomicLong received = new AtomicLong();
        String where = "GET " + url;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .GET()
                    .build();
            HttpResponse<Path> response = http.send(request, info -> {
                if (info.statusCode() != 200) {
                    return HttpResponse.BodySubscribers.replacing((Path) null);
                }
                long total = info.headers().firstValueAsLong("Content-Length").orElse(-1);
                return Streams.counting(HttpResponse.BodySubscribers.ofFile(target), received, total, listener);
            });
            if (response.statusCode() == 200 && received.get() == 0) {
                Streams.report(listener, 0, 0);
            }
            return new TransferResponse(response.statusCode(), received.get(), null);
        } catch (HttpTimeoutException e) {
            return new TransferResponse(
                    0,
                    received.get(),
                    "Cannot call " + where + ": no response within " + timeout.toMillis()
                            + " ms (raise the timeout with AGB.builder().timeout(..))");
        } catch (IllegalArgumentException e) {
            return new TransferResponse(0, 0, "Cannot call " + where + ": invalid URL (" + e.getMessage() + ")");
        } catch (IOException e) {
            return new TransferResponse(0, received.get(), "Cannot call " + where + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TransferResponse(0, received.get(), "Cannot call " + where + ": interrupted");
        }
    }

    private ApiResponse send(String method, String path, Map<String, ?> query, String body, Duration timeout) {
        String url = endpoint + path + formEncode(query);
        String where = method + " " + url;
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json");
            request = body == null
                    ? builder.GET().build()
                    : builder.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                            .build();
        } catch (IllegalArgumentException e) {
            return new ApiResponse(
                    where, 0, null, "", "Cannot call " + where + ": invalid URL (" + e.getMessage() + ")");
        }
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            return new ApiResponse(
                    where,
                    0,
                    null,
                    "",
                    "Cannot call " + where + ": no response within " + timeout.toMillis()
                            + " ms (raise the timeout with AGB.builder().timeout(..) or AGB_TIMEOUT_MS)");
        } catch (IOException e) {
            return new ApiResponse(
                    where,
                    0,
                    null,
                    "",
                    "Cannot call " + where + ": " + describe(e)
                            + " (check that the server is running and AGB_ENDPOINT is right)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ApiResponse(where, 0, null, "", "Cannot call " + where + ": interrupted");
        }
        JsonNode json = Json.parseOrNull(response.body());
        if (json != null && !json.isObject()) {
            json = null;
        }
        String requestId = "";
        if (json != null
                && json.hasNonNull("requestId")
                && !json.path("requestId").asText().isEmpty()) {
            requestId = json.path("requestId").asText();
        } else {
            requestId = response.headers().firstValue("x-request-id").orElse("");
        }
        return new ApiResponse(where, response.statusCode(), json, requestId, null);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String description = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        Throwable cause = e.getCause();
        if (message == null && cause != null && cause != e) {
            description += " (" + describe(cause) + ")";
        }
        return description;
    }

    /** An ordered query map from alternating keys and values; {@code null} values are allowed and left out. */
    public static Map<String, Object> query(Object... keysAndValues) {
        Map<String, Object> query = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            query.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return query;
    }

    /** {@code ?k=v&…} with form encoding (space as {@code +}); null values are left out. */
    public static String formEncode(Map<String, ?> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringJoiner joiner = new StringJoiner("&", "?", "");
        joiner.setEmptyValue("");
        query.forEach((key, value) -> {
            if (value != null) {
                joiner.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
            }
        });
        return joiner.toString();
    }

    /** Sleeps one poll interval; returns {@code false} (with the interrupt flag restored) if interrupted. */
    public boolean pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
