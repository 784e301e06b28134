package org.openagb.sdk;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted AGB server for wire-level tests: records every request and answers each path with queued JSON bodies
 * (the last one repeats). Unscripted paths answer HTTP 404 with a JSON error envelope.
 */
final class FakeAgbServer implements AutoCloseable {
    record Request(
            String method,
            String path,
            String rawQuery,
            Map<String, String> query,
            Map<String, String> headers,
            String body,
            byte[] bytes) {}

    private record Raw(int status, byte[] body) {}

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Deque<String>> responses = new HashMap<>();
    private final Map<String, Raw> raw = new HashMap<>();
    private final Map<String, Long> delays = new HashMap<>();

    FakeAgbServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] received = exchange.getRequestBody().readAllBytes();
            String body = new String(received, StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            String path = exchange.getRequestURI().getPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            requests.add(new Request(
                    exchange.getRequestMethod(), path, rawQuery, decode(rawQuery), headers, body, received));
            Raw scripted;
            long delay;
            synchronized (responses) {
                scripted = raw.get(path);
                delay = delays.getOrDefault(path, 0L);
            }
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (scripted != null) {
                exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(
                        scripted.status(), scripted.body().length == 0 ? -1 : scripted.body().length);
                exchange.getResponseBody().write(scripted.body());
                exchange.close();
                return;
            }
            String reply;
            int status = 200;
            synchronized (responses) {
                Deque<String> queue = responses.get(path);
                if (queue == null || queue.isEmpty()) {
                    status = 404;
                    reply = "{\"success\":false,\"code\":\"NotScripted\",\"message\":\"no reply for " + path
                            + "\",\"requestId\":\"req-404\"}";
                } else {
                    reply = queue.size() > 1 ? queue.poll() : queue.peek();
                }
            }
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code path} with these bodies in turn, repeating the last. */
    FakeAgbServer on(String path, String... bodies) {
        synchronized (responses) {
            responses.put(path, new ArrayDeque<>(List.of(bodies)));
        }
        return this;
    }

    /** Answers {@code path} (any method) with {@code status} and the raw {@code body}, every time. */
    FakeAgbServer onRaw(String path, int status, byte[] body) {
        synchronized (responses) {
            raw.put(path, new Raw(status, body));
        }
        return this;
    }

    /** Answers {@code path} only after {@code delay}. */
    FakeAgbServer delay(String path, java.time.Duration delay) {
        synchronized (responses) {
            delays.put(path, delay.toMillis());
        }
        return this;
    }

    static String ok(String requestId, String dataJson) {
        return "{\"success\":true,\"code\":\"ok\",\"message\":\"\",\"httpStatusCode\":200,\"requestId\":\"" + requestId
                + "\"" + (dataJson == null ? "" : ",\"data\":" + dataJson) + "}";
    }

    /** A tool-call envelope whose single text item is {@code text}. */
    static String tool(String requestId, boolean isError, String text) {
        return ok(
                requestId,
                "{\"isError\":" + isError + ",\"content\":[{\"type\":\"text\",\"text\":"
                        + org.openagb.sdk.internal.Json.write(text) + "}]}");
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<Request> requests(String path) {
        return requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    private static Map<String, String> decode(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            query.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
