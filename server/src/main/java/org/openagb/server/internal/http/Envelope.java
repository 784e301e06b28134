package org.openagb.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** Writes AGB response envelopes: {@code {success, code, message, httpStatusCode, requestId, data}}. */
public final class Envelope {
    private Envelope() {}

    private static final java.util.regex.Pattern GIVEN_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public static String requestId(Context ctx) {
        String id = ctx.attribute("requestId");
        if (id == null) {
            // A node forwarding the call (or a client's proxy) names the request: the answer keeps its id.
            String given = ctx.header("x-request-id");
            if (given != null && GIVEN_ID.matcher(given).matches()) {
                ctx.attribute("requestId", given);
                return given;
            }
            id = "req-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
            ctx.attribute("requestId", id);
        }
        return id;
    }

    public static void ok(Context ctx, Object data) {
        ok(ctx, data, Map.of());
    }

    /** Success with extra top-level fields (ListSession's nextToken/count, DescribeContextFiles' count). */
    public static void ok(Context ctx, Object data, Map<String, Object> topLevel) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("success", true);
        body.put("code", "ok");
        body.put("message", "");
        body.put("httpStatusCode", 200);
        body.put("requestId", requestId(ctx));
        body.set("data", Json.MAPPER.valueToTree(data));
        topLevel.forEach((k, v) -> body.set(k, Json.MAPPER.valueToTree(v)));
        send(ctx, 200, body);
    }

    public static void error(Context ctx, int status, String code, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("success", false);
        body.put("code", code);
        body.put("message", message);
        body.put("httpStatusCode", status);
        body.put("requestId", requestId(ctx));
        body.putNull("data");
        send(ctx, status, body);
    }

    private static void send(Context ctx, int status, ObjectNode body) {
        ctx.status(status);
        ctx.header("x-request-id", requestId(ctx));
        ctx.contentType("application/json");
        ctx.result(Json.write(body).getBytes(StandardCharsets.UTF_8));
    }
}
