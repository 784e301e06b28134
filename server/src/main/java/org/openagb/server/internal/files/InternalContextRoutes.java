package org.openagb.server.internal.files;

import static org.openagb.server.internal.http.Requests.param;
import static org.openagb.server.internal.http.Requests.required;
import static org.openagb.server.internal.http.Requests.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openagb.server.internal.context.ContextKind;
import org.openagb.server.internal.context.ContextRecord;
import org.openagb.server.internal.context.ContextService;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Envelope;
import org.openagb.server.internal.http.Json;
import org.openagb.server.internal.session.LiveSession;
import org.openagb.server.internal.session.SessionService;

/**
 * GetAndLoadInternalContext (WIRE.md §6.5, §6.7): the one per-session {@code file_transfer} context, created on
 * first use. It is owned by the session: hidden from ListContexts, not mountable, never part of an unfiltered
 * SyncContext, usable only by its session for explicit syncs, and destroyed with its data when the session ends.
 */
public final class InternalContextRoutes {
    /** Where the SDK is told the file-transfer context lives in the session (no trailing slash). */
    public static final String FILE_TRANSFER_PATH = "/tmp/file_transfer";

    private final SessionService sessions;
    private final ContextService contexts;

    public InternalContextRoutes(SessionService sessions, ContextService contexts) {
        this.sessions = sessions;
        this.contexts = contexts;
    }

    public void register(RoutesConfig routes) {
        routes.post("/sdk/GetAndLoadInternalContext", this::getAndLoad);
    }

    private void getAndLoad(Context ctx) {
        String sessionId = required(ctx, "sessionId");
        LiveSession session =
                sessions.running(tenant(ctx), sessionId).orElseThrow(() -> ApiException.sessionNotFound(sessionId));
        List<String> types = types(param(ctx, "contextTypes"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String type : types) {
            ContextRecord context = contexts.store()
                    .getOrCreate(session.tenant(), internalName(session.id()), ContextKind.FILE_TRANSFER, session.id());
            session.files().ensureDirectory(FILE_TRANSFER_PATH);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("contextId", context.id());
            item.put("contextType", type);
            item.put("contextPath", FILE_TRANSFER_PATH);
            out.add(item);
        }
        Envelope.ok(ctx, out);
    }

    /** The reserved name of a session's file-transfer context (unique per tenant, like every context name). */
    public static String internalName(String sessionId) {
        return ContextService.INTERNAL_NAME_PREFIX + "file_transfer/" + sessionId;
    }

    private static List<String> types(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of(ContextKind.FILE_TRANSFER.dbName());
        }
        JsonNode node = Json.parse("contextTypes", raw);
        List<String> types = new ArrayList<>();
        if (node.isTextual()) {
            types.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(t -> types.add(t.asText()));
        } else {
            throw ApiException.invalid("Cannot use contextTypes '" + Json.abbreviate(raw)
                    + "': it must be a JSON array of context types, such as [\"file_transfer\"]");
        }
        for (String t : types) {
            if (!t.equals(ContextKind.FILE_TRANSFER.dbName())) {
                throw ApiException.invalid("Unknown internal context type '" + t
                        + "' in contextTypes (this server supports [\"file_transfer\"])");
            }
        }
        if (types.isEmpty()) {
            types.add(ContextKind.FILE_TRANSFER.dbName());
        }
        return types.stream().distinct().toList();
    }
}
