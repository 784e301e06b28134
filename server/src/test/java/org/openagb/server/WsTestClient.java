package org.openagb.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket client for tests on the JDK's {@link WebSocket}: connects the way the official SDKs do ({@code
 * X-Access-Token} header), sends frames, and queues what arrives with the time it arrived.
 */
final class WsTestClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A received frame and when it arrived ({@link System#nanoTime()}). */
    record Received(JsonNode frame, long atNanos) {
        JsonNode data() {
            return frame.path("data");
        }

        String phase() {
            return data().path("phase").asText();
        }

        String eventType() {
            return data().path("eventType").asText();
        }
    }

    /** How the server closed the socket. */
    record Closed(int code, String reason) {}

    /** An upgrade the server refused: its HTTP status and body. */
    record Refused(int status, String body) {}

    private final WebSocket socket;
    private final BlockingQueue<Received> received;
    private final CompletableFuture<Closed> closed;

    private WsTestClient(WebSocket socket, BlockingQueue<Received> received, CompletableFuture<Closed> closed) {
        this.socket = socket;
        this.received = received;
        this.closed = closed;
    }

    /** Connects with {@code headers}; throws {@link RefusedException} when the upgrade is refused. */
    static WsTestClient connect(String url, Map<String, String> headers) {
        return connect(url, headers, Duration.ZERO);
    }

    /** Connects, then takes one message every {@code pause}: a client slower than what the server sends. */
    static WsTestClient connectSlowly(String url, String token, Duration pause) {
        return connect(url, Map.of("X-Access-Token", token), pause);
    }

    private static WsTestClient connect(String url, Map<String, String> headers, Duration pause) {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        CompletableFuture<Closed> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public void onOpen(WebSocket ws) {
                ws.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        received.add(new Received(JSON.readTree(partial.toString()), System.nanoTime()));
                    } catch (Exception e) {
                        received.add(new Received(JSON.createObjectNode().put("unparsable", partial.toString()), 0));
                    }
                    partial.setLength(0);
                }
                if (pause.isZero()) {
                    ws.request(1);
                } else {
                    CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS)
                            .execute(() -> ws.request(1));
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(new Closed(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(new Closed(-1, String.valueOf(error)));
            }
        };
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        try {
            WebSocket socket = builder.buildAsync(URI.create(url), listener).get(10, TimeUnit.SECONDS);
            return new WsTestClient(socket, received, closed);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                Object body = refused.getResponse().body();
                throw new RefusedException(
                        new Refused(refused.getResponse().statusCode(), body == null ? "" : body.toString()));
            }
            throw new IllegalStateException("Cannot connect to " + url + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("Cannot connect to " + url + ": " + e, e);
        }
    }

    static WsTestClient connect(String url, String token) {
        return connect(url, Map.of("X-Access-Token", token));
    }

    /**
     * The refusal of an upgrade that must fail, with the answer's body (the JDK client does not read it, so this
     * speaks HTTP/1.1 over a plain socket).
     */
    static Refused refused(String url, Map<String, String> headers) {
        URI uri = URI.create(url);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("GET " + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n");
            request.append("Host: ")
                    .append(uri.getHost())
                    .append(':')
                    .append(uri.getPort())
                    .append("\r\n");
            request.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n");
            request.append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
            headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            String status = in.readLine();
            int code = Integer.parseInt(status.split(" ")[1]);
            if (code == 101) {
                throw new AssertionError("the upgrade to " + url + " was accepted");
            }
            int length = -1;
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            char[] body = new char[Math.max(0, length)];
            int read = 0;
            while (read < body.length) {
                int n = in.read(body, read, body.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new Refused(code, new String(body, 0, read));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot send the upgrade to " + url + ": " + e, e);
        }
    }

    static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Refused refused;

        RefusedException(Refused refused) {
            super("refused: " + refused);
            this.refused = refused;
        }
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends {@code {invocationId, source: SDK, target, data}} as the SDKs do. */
    void send(String invocationId, String target, Map<String, Object> data) {
        try {
            send(JSON.writeValueAsString(
                    Map.of("invocationId", invocationId, "source", "SDK", "target", target, "data", data)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a {@code run_code} call as {@code code.run(..., stream_beta=True)} does. */
    void runCode(String invocationId, String language, String code) {
        send(
                invocationId,
                "wuying_codespace",
                Map.of(
                        "method",
                        "run_code",
                        "mode",
                        "stream",
                        "params",
                        Map.of("language", language, "timeoutS", 60, "code", code)));
    }

    void cancel(String invocationId) {
        send(invocationId, "wuying_codespace", Map.of("method", "cancel"));
    }

    /** The next frame, failing the test after {@code seconds}. */
    Received next(long seconds) {
        try {
            Received r = received.poll(seconds, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("no frame within " + seconds + " s");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame within {@code millis}, or {@code null}. */
    Received poll(long millis) {
        try {
            return received.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Frames of {@code invocationId} up to and including its end or error frame. */
    List<Received> untilEnd(String invocationId, long seconds) {
        List<Received> frames = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()) + 1;
            Received r = next(left);
            if (!r.frame().path("invocationId").asText().equals(invocationId)) {
                continue;
            }
            frames.add(r);
            if (r.phase().equals("end") || r.phase().equals("error")) {
                return frames;
            }
        }
    }

    /** How the server closed the socket, waiting up to {@code seconds}. */
    Closed awaitClose(long seconds) {
        try {
            return closed.get(seconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the socket was not closed within " + seconds + " s", e);
        }
    }

    boolean isOpen() {
        return !socket.isInputClosed() && !closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
    }
}
