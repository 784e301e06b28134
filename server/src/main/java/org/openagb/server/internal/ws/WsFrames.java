package org.openagb.server.internal.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.openagb.sandbox.CodeResult;
import org.openagb.server.internal.http.Json;

/**
 * The frames the server sends (docs/websocket.md), in the official SDKs' format: {@code {invocationId, source,
 * target: "SDK", data}} where {@code data.phase} is {@code event} (with {@code eventType} stdout, stderr or result),
 * {@code end} or {@code error}.
 */
final class WsFrames {
    /** The {@code target} of every frame the server sends. */
    static final String CLIENT = "SDK";

    private WsFrames() {}

    /** The whole frame as JSON text. */
    static String envelope(String invocationId, String source, ObjectNode data) {
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("invocationId", invocationId);
        frame.put("source", source);
        frame.put("target", CLIENT);
        frame.set("data", data);
        return Json.write(frame);
    }

    /** {@code {phase: event, eventType: stdout|stderr, chunk}}. */
    static ObjectNode chunk(String stream, String text) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("phase", "event");
        data.put("eventType", stream);
        data.put("chunk", text);
        return data;
    }

    /**
     * {@code {phase: event, eventType: result, result: {isMainResult, mime: {type: value}}}} of one bundle of {@link
     * CodeResult#results()}.
     */
    static ObjectNode result(Map<String, Object> bundle) {
        ObjectNode mime = Json.MAPPER.createObjectNode();
        bundle.forEach((type, value) -> {
            if (!type.equals("isMainResult")) {
                mime.set(type, Json.MAPPER.valueToTree(value));
            }
        });
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("isMainResult", Boolean.TRUE.equals(bundle.get("isMainResult")));
        result.set("mime", mime);
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("phase", "event");
        data.put("eventType", "result");
        data.set("result", result);
        return data;
    }

    /**
     * {@code {phase: end, status: completed|failed|cancelled, executionCount, executionTime, executionError}}: the
     * cell is over; its output and results came before.
     */
    static ObjectNode end(CodeResult result) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("phase", "end");
        String error = result.executionError();
        data.put("status", error.isEmpty() ? "completed" : error.startsWith("CancelledError") ? "cancelled" : "failed");
        data.put("executionCount", result.executionCount());
        data.put("executionTime", result.executionTimeSeconds());
        data.put("executionError", error);
        return data;
    }

    /** {@code {phase: error, code, error}}: the call could not run (bad frame, unknown method, no kernel, limits). */
    static ObjectNode error(String code, String message) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("phase", "error");
        data.put("code", code);
        data.put("error", message);
        return data;
    }
}
