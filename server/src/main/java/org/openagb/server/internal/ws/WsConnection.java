package org.openagb.server.internal.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openagb.sandbox.CodeRequest;
import org.openagb.sandbox.CodeResult;
import org.openagb.sandbox.CodeStream;
import org.openagb.sandbox.Sandbox;
import org.openagb.sandbox.SandboxException;
import org.openagb.sandbox.Tools;
import org.openagb.server.WebSocketLimits;
import org.openagb.server.internal.http.Json;
import org.openagb.server.internal.session.LiveSession;
import org.openagb.server.internal.session.SessionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open WebSocket of a session: reads the client's frames, runs {@code run_code} calls on the run executor and
 * streams their output back through its {@link Outbox}.
 *
 * <p>Threads: {@link #onMessage} is called by Jetty one message at a time; cells run on the executor and report from
 * there; {@link #close} and {@link #onClosed} may come from any thread. Closing cancels the connection's running
 * cells (their kernels are interrupted and keep their state).
 */
final class WsConnection {
    private static final Logger log = LoggerFactory.getLogger(WsConnection.class);

    /** The only {@code target} served: the server name of the {@code run_code} tool in the tool list. */
    static final String TARGET = Tools.CATALOG.stream()
            .filter(t -> t.name().equals("run_code"))
            .findFirst()
            .orElseThrow()
            .server();

    /** The invocation id of error frames about a frame that had none usable. */
    static final String NO_INVOCATION = "openagb-invalid-frame";

    private static final int MAX_INVOCATION_ID = 128;

    /** The socket's control side (its messages go through an {@link Outbox.Sink}). */
    interface Transport {
        void close(int code, String reason);

        void ping();
    }

    private final LiveSession session;
    private final WebSocketLimits limits;
    private final Executor runs;
    private final Clock clock;
    private final Transport transport;
    private final Outbox outbox;
    private final Map<String, Invocation> invocations = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private long windowStart = System.nanoTime();
    private int windowMessages;

    WsConnection(
            LiveSession session,
            WebSocketLimits limits,
            Executor runs,
            Clock clock,
            Outbox.Sink sink,
            Transport transport) {
        this.session = session;
        this.limits = limits;
        this.runs = runs;
        this.clock = clock;
        this.transport = transport;
        this.outbox = new Outbox(sink, limits.maxBufferedBytes(), this::sendFailed);
    }

    String sessionId() {
        return session.id();
    }

    /** Whether a cell of this connection is running or waiting for its kernel (the server pings then). */
    boolean hasRuns() {
        return !invocations.isEmpty();
    }

    /** One text message from the client. */
    void onMessage(String text) {
        if (closed) {
            return;
        }
        if (!withinRate()) {
            close(1008, "more than " + limits.maxMessagesPerSecond() + " messages in one second");
            return;
        }
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            error(NO_INVOCATION, TARGET, "InvalidFrame", "The frame is not JSON (" + e.getOriginalMessage() + ")");
            return;
        }
        if (!(message instanceof ObjectNode frame)) {
            error(NO_INVOCATION, TARGET, "InvalidFrame", "The frame is not a JSON object: " + Json.abbreviate(text));
            return;
        }
        if (!frame.has("invocationId") && "ping".equals(frame.path("type").asText())) {
            return; // the TypeScript SDK's heartbeat; it expects no answer
        }
        String invocationId =
                frame.path("invocationId").asText(frame.path("requestId").asText(""));
        if (invocationId.isBlank() || invocationId.length() > MAX_INVOCATION_ID) {
            error(
                    NO_INVOCATION,
                    TARGET,
                    "InvalidFrame",
                    "The frame's invocationId must be a non-empty string of at most " + MAX_INVOCATION_ID
                            + " characters: " + Json.abbreviate(text));
            return;
        }
        String target = frame.path("target").asText(TARGET);
        if (!TARGET.equals(target)) {
            error(
                    invocationId,
                    target,
                    "UnknownTarget",
                    "Unknown target '" + target + "': this server streams run_code on target '" + TARGET + "'");
            return;
        }
        JsonNode data = frame.path("data");
        if (data.isTextual()) {
            try {
                data = Json.MAPPER.readTree(data.asText());
            } catch (JsonProcessingException e) {
                data = null;
            }
        }
        if (data == null || !data.isObject()) {
            error(invocationId, target, "InvalidFrame", "The frame's data must be a JSON object");
            return;
        }
        String method = data.path("method").asText("");
        switch (method) {
            case "run_code" -> start(invocationId, data.path("params"));
            case "cancel" -> cancel(invocationId);
            default ->
                error(
                        invocationId,
                        target,
                        "UnknownMethod",
                        "Unknown method '" + method + "' (supported: run_code, cancel)");
        }
    }

    private boolean withinRate() {
        long now = System.nanoTime();
        if (now - windowStart >= TimeUnit.SECONDS.toNanos(1)) {
            windowStart = now;
            windowMessages = 0;
        }
        return ++windowMessages <= limits.maxMessagesPerSecond();
    }

    private void start(String invocationId, JsonNode params) {
        CodeRequest request;
        try {
            JsonNode timeout = params.has("timeoutS") ? params.get("timeoutS") : params.path("timeout_s");
            request = Tools.codeRequest(
                    params.path("code").asText(null),
                    params.path("language").asText(null),
                    timeout.isMissingNode() || timeout.isNull() ? Tools.DEFAULT_RUN_CODE_TIMEOUT_S : timeout.asLong(0));
        } catch (IllegalArgumentException e) {
            error(invocationId, TARGET, "InvalidParameter", e.getMessage());
            return;
        }
        if (session.status() != SessionState.RUNNING) {
            error(
                    invocationId,
                    TARGET,
                    "InvalidSession.NotFound",
                    "Session '" + session.id() + "' is being released and runs no more code");
            return;
        }
        if (invocations.size() >= limits.maxRunsPerConnection()) {
            error(
                    invocationId,
                    TARGET,
                    "TooManyRuns",
                    "This connection already has " + limits.maxRunsPerConnection()
                            + " cells running or queued; wait for one to end");
            return;
        }
        Invocation invocation = new Invocation(invocationId);
        if (invocations.putIfAbsent(invocationId, invocation) != null) {
            error(
                    invocationId,
                    TARGET,
                    "DuplicateInvocation",
                    "Invocation '" + invocationId + "' is already running on this connection");
            return;
        }
        try {
            runs.execute(() -> run(invocation, request));
        } catch (RejectedExecutionException e) {
            invocations.remove(invocationId);
            error(
                    invocationId,
                    TARGET,
                    "ServerBusy",
                    "The server runs " + limits.maxRunningCells() + " streamed cells already; try again shortly");
        }
    }

    private void cancel(String invocationId) {
        Invocation invocation = invocations.get(invocationId);
        if (invocation == null) {
            error(
                    invocationId,
                    TARGET,
                    "InvocationNotFound",
                    "Cannot cancel invocation '" + invocationId + "': it is not running on this connection");
            return;
        }
        invocation.cancel.set(true);
    }

    private void run(Invocation invocation, CodeRequest request) {
        long started = System.nanoTime();
        session.callStarted(clock.millis());
        String outcome = "error";
        try {
            Sandbox sandbox = session.sandbox();
            if (sandbox == null || session.status() != SessionState.RUNNING) {
                throw new SandboxException("Cannot run code in session '" + session.id() + "': it is being released");
            }
            CodeResult result = sandbox.runCode(request, invocation);
            for (Map<String, Object> bundle : result.results()) {
                send(invocation.id, WsFrames.result(bundle));
            }
            ObjectNode end = WsFrames.end(result);
            outcome = end.path("status").asText();
            send(invocation.id, end);
        } catch (SandboxException e) {
            error(invocation.id, TARGET, "RunCodeFailed", e.getMessage());
        } catch (RuntimeException e) {
            log.error(
                    "event=ws.run.failed session={} invocation={} error=\"{}\"",
                    session.id(),
                    invocation.id,
                    e.toString(),
                    e);
            error(invocation.id, TARGET, "InternalError", "Internal error while running the cell (see the server log)");
        } finally {
            session.callFinished(clock.millis());
            invocations.remove(invocation.id);
            log.info(
                    "event=ws.run session={} invocation={} language={} status={} ms={}",
                    session.id(),
                    invocation.id,
                    request.language(),
                    outcome,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    private void send(String invocationId, ObjectNode data) {
        if (!outbox.offerFrame(invocationId, TARGET, data) && !closed) {
            overflow();
        }
    }

    private void error(String invocationId, String source, String code, String message) {
        if (!outbox.offerFrame(invocationId, source, WsFrames.error(code, message)) && !closed) {
            overflow();
        }
    }

    private void overflow() {
        close(
                1008,
                "more than " + (limits.maxBufferedBytes() >> 10)
                        + " KiB of output waiting: the client reads too slowly");
    }

    private void sendFailed(Throwable error) {
        log.debug("event=ws.send.failed session={} error=\"{}\"", session.id(), error.toString());
        onClosed();
    }

    /** Closes the socket with {@code code} and {@code reason} (at most 123 bytes) and cancels the running cells. */
    void close(int code, String reason) {
        if (closed) {
            return;
        }
        onClosed();
        log.info("event=ws.closed session={} code={} reason=\"{}\"", session.id(), code, reason);
        transport.close(code, reason);
    }

    /** Sends a ping (a control frame, beside the queued messages) unless closed. */
    void ping() {
        if (!closed) {
            transport.ping();
        }
    }

    /** The socket is gone: drop waiting output; running cells see themselves cancelled. */
    void onClosed() {
        closed = true;
        outbox.close();
    }

    /** One {@code run_code} call: where its output goes and whether it was cancelled. */
    private final class Invocation implements CodeStream {
        final String id;
        final AtomicBoolean cancel = new AtomicBoolean();

        Invocation(String id) {
            this.id = id;
        }

        @Override
        public void stdout(String text) {
            chunk("stdout", text);
        }

        @Override
        public void stderr(String text) {
            chunk("stderr", text);
        }

        private void chunk(String stream, String text) {
            if (!outbox.offerChunk(id, TARGET, stream, text) && !closed) {
                overflow();
            }
        }

        @Override
        public boolean cancelled() {
            return cancel.get() || closed;
        }
    }
}
