package org.openagb.server.internal.cluster;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openagb.server.NodeInfo;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Envelope;
import org.openagb.server.internal.http.Requests;

/**
 * Replays a call on another node and streams its answer back: same method, path, query, headers (less the hop-by-hop
 * ones) and body, plus the forwarding headers ({@link Requests#FORWARDED_HEADER}, {@link Requests#NODE_URL_HEADER})
 * and the caller's request id; the answer's status, headers and body go back as they come. The caller's API key or
 * token travels with the call and is checked again by the node that answers: no node trusts another with a tenant.
 * Thread-safe.
 */
final class Forwarder {
    /** Headers that belong to one connection, or that the HTTP client sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "content-length",
            "expect",
            "host",
            "upgrade",
            "keep-alive",
            "transfer-encoding",
            "te",
            "trailer",
            "proxy-authorization",
            "proxy-connection",
            "http2-settings");

    private final HttpClient client;
    private final String nodeId;
    private final Duration answerTimeout;

    /**
     * @param nodeId this node, named in the forwarding header
     * @param connectTimeout how long to wait for the other node to accept the connection
     * @param answerTimeout how long to wait for the answer's headers (longer than any call may take)
     */
    Forwarder(String nodeId, Duration connectTimeout, Duration answerTimeout) {
        this.nodeId = nodeId;
        this.answerTimeout = answerTimeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The other node's answer, status and headers read, body still to be streamed. */
    record Answer(int status, Map<String, List<String>> headers, InputStream body) {}

    /**
     * Sends the call to {@code node}.
     *
     * @throws ApiException 503 {@code NodeUnavailable} if the node does not accept the connection or answer in time
     */
    Answer send(Context ctx, NodeInfo node, String sessionId) {
        String target = node.url()
                + ctx.req().getRequestURI()
                + (ctx.req().getQueryString() == null ? "" : "?" + ctx.req().getQueryString());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(answerTimeout);
        for (String name : ctx.headerMap().keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || lower.startsWith("x-openagb-") || lower.equals("x-request-id")) {
                continue;
            }
            for (String value : java.util.Collections.list(ctx.req().getHeaders(name))) {
                request.header(name, value);
            }
        }
        String host = ctx.header("Host");
        if (host != null) {
            request.header("X-Forwarded-Host", host);
        }
        request.header(Requests.FORWARDED_HEADER, nodeId);
        request.header(Requests.NODE_URL_HEADER, node.url());
        request.header("x-request-id", Envelope.requestId(ctx));
        request.method(ctx.method().name(), body(ctx));
        try {
            HttpResponse<InputStream> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Answer(answer.statusCode(), answer.headers().map(), answer.body());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw unavailable(sessionId, node, "it does not accept connections at " + node.url());
        } catch (HttpTimeoutException e) {
            throw unavailable(sessionId, node, "it did not answer within " + answerTimeout.toSeconds() + " s");
        } catch (IOException e) {
            throw unavailable(sessionId, node, "the connection to it failed (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(sessionId, node, "the server is shutting down");
        }
    }

    /** Writes an answer of {@link #send} as this call's answer, streaming its body. */
    static void write(Context ctx, Answer answer) throws IOException {
        ctx.status(answer.status());
        answer.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !lower.startsWith(":")) {
                values.forEach(v -> ctx.res().addHeader(name, v));
            }
        });
        if (answer.status() == 404 || answer.status() >= 500) {
            // Small, and the server's error handlers look at the result of such answers: read it whole.
            try (InputStream in = answer.body()) {
                ctx.result(in.readAllBytes());
            }
        } else {
            ctx.result(answer.body());
        }
    }

    /** Reads an answer's body whole (small answers: createSession). */
    static byte[] readAll(Answer answer) throws IOException {
        try (InputStream in = answer.body()) {
            return in.readAllBytes();
        }
    }

    private static HttpRequest.BodyPublisher body(Context ctx) {
        String method = ctx.method().name();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return HttpRequest.BodyPublishers.noBody();
        }
        long length = ctx.req().getContentLengthLong();
        if (ctx.attribute("jsonBody") != null || length >= 0 && length <= 1 << 20) {
            return HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes());
        }
        // A large or unsized body (a port link's upload): streamed, not held.
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return ctx.req().getInputStream();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return length >= 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
    }

    static ApiException unavailable(String sessionId, NodeInfo node, String why) {
        return new ApiException(
                503,
                "NodeUnavailable",
                "Session '" + sessionId + "' runs on node " + node.id() + ", which cannot be reached: " + why
                        + " (retry shortly; a node that misses its heartbeats is marked down and its sessions are then"
                        + " reported lost)");
    }
}
