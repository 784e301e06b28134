package org.openagb.server.internal.tools;

import static org.openagb.server.internal.http.Requests.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.openagb.sandbox.ToolResult;
import org.openagb.sandbox.Tools;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Envelope;
import org.openagb.server.internal.http.Requests;
import org.openagb.server.internal.session.LiveSession;
import org.openagb.server.internal.session.SessionService;

/**
 * POST /mcp: a tool call in a session (WIRE.md §4). A tool's own failure is {@code success:true,
 * data.isError:true} with the error as the text; a dead session is {@code InvalidSession.NotFound}.
 */
public final class ToolRoutes {
    private final SessionService sessions;
    private final Tools tools;
    private final Clock clock;

    public ToolRoutes(SessionService sessions, Tools tools, Clock clock) {
        this.sessions = sessions;
        this.tools = tools;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post("/mcp", this::call);
    }

    private void call(Context ctx) {
        JsonNode body = Requests.body(ctx);
        String sessionId = body.path("sessionId").asText(null);
        String name = body.path("name").asText(null);
        if (name == null || name.isBlank()) {
            name = body.path("tool").asText(null);
        }
        JsonNode argsNode = body.path("args");
        String args = argsNode.isTextual() ? argsNode.asText() : argsNode.isMissingNode() ? "{}" : argsNode.toString();
        LiveSession session;
        try {
            session =
                    sessions.running(tenant(ctx), sessionId).orElseThrow(() -> ApiException.sessionNotFound(sessionId));
        } catch (ApiException e) {
            throw new ApiException(
                    400,
                    "InvalidSession.NotFound",
                    "Resource [Session] is not found: session '" + sessionId
                            + "' does not exist, was released, or belongs to another API key");
        }
        if (name == null || name.isBlank()) {
            throw ApiException.invalid("Missing tool 'name' in the /mcp request body");
        }
        ToolResult result = run(session, tools, name, args, clock);
        Envelope.ok(
                ctx,
                Map.of(
                        "isError", result.isError(),
                        "content", List.of(Map.of("type", "text", "text", result.text()))));
    }

    /** Runs one tool call in the session, marked busy meanwhile (a running call postpones the idle release). */
    static ToolResult run(LiveSession session, Tools tools, String name, String args, Clock clock) {
        session.callStarted(clock.millis());
        try {
            return tools.call(session.sandbox(), name, args);
        } finally {
            session.callFinished(clock.millis());
        }
    }
}
