package org.openagb.server.internal.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openagb.sandbox.ToolResult;
import org.openagb.sandbox.Tools;
import org.openagb.server.internal.http.Json;
import org.openagb.server.internal.http.Requests;
import org.openagb.server.internal.session.LinkTokens;
import org.openagb.server.internal.session.LiveSession;
import org.openagb.server.internal.session.SessionService;

/**
 * The LinkUrl route: {@code POST <linkUrl>/callTool} with {@code {tool, args, server, requestId, token}} and the
 * session's token in {@code X-Access-Token}, as the official SDKs call it when createSession gave them a
 * {@code linkUrl} and {@code token}. No API key: the token, which only this session's owner was given, is the
 * credential. Answers {@code {success, requestId, data: {result: {isError, content: [{type, text}]}}}} — the same
 * tools and results as {@code /mcp}. A missing or wrong token (another session's included) is 401, an unknown or
 * released session 404, both with a JSON message.
 */
public final class LinkRoutes {
    public static final String PREFIX = "/link/";

    private final SessionService sessions;
    private final Tools tools;
    private final LinkTokens tokens;
    private final Clock clock;

    public LinkRoutes(SessionService sessions, Tools tools, LinkTokens tokens, Clock clock) {
        this.sessions = sessions;
        this.tools = tools;
        this.tokens = tokens;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post(PREFIX + "{sessionId}/callTool", this::callTool);
    }

    private void callTool(Context ctx) {
        String sessionId = ctx.pathParam("sessionId");
        JsonNode body = Requests.body(ctx);
        String requestId = body.path("requestId").asText("");
        String token = ctx.header("X-Access-Token");
        if (token == null || token.isBlank()) {
            token = body.path("token").asText(null);
        }
        if (!tokens.matches(sessionId, token)) {
            refuse(
                    ctx,
                    401,
                    requestId,
                    "Unauthorized",
                    "The access token is not this session's (use the token that"
                            + " createSession or getSession returned with this linkUrl)");
            return;
        }
        LiveSession session = sessions.runningById(sessionId).orElse(null);
        if (session == null) {
            refuse(
                    ctx,
                    404,
                    requestId,
                    "InvalidSession.NotFound",
                    "Session '" + sessionId + "' is not running (it was released or timed out)");
            return;
        }
        String name = body.path("tool").asText("");
        if (name.isBlank()) {
            refuse(ctx, 400, requestId, "InvalidParameter", "Missing 'tool' in the callTool body (the tool's name)");
            return;
        }
        JsonNode argsNode = body.path("args");
        String args = argsNode.isTextual() ? argsNode.asText() : argsNode.isMissingNode() ? "{}" : argsNode.toString();
        ToolResult result = ToolRoutes.run(session, tools, name, args, clock);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        out.put("code", "ok");
        out.put("requestId", requestId);
        out.put(
                "data",
                Map.of(
                        "result",
                        Map.of(
                                "isError",
                                result.isError(),
                                "content",
                                List.of(Map.of("type", "text", "text", result.text())))));
        ctx.contentType("application/json").result(Json.write(out));
    }

    private static void refuse(Context ctx, int status, String requestId, String code, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", false);
        out.put("code", code);
        out.put("message", message);
        out.put("requestId", requestId);
        ctx.status(status).contentType("application/json").result(Json.write(out));
    }
}
