package org.openagb.server.internal.session;

import static org.openagb.server.internal.http.Requests.param;
import static org.openagb.server.internal.http.Requests.required;
import static org.openagb.server.internal.http.Requests.tenant;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Envelope;
import org.openagb.server.internal.sync.SyncRequest;
import org.openagb.server.internal.sync.SyncService;

/** SyncContext and GetContextInfo (WIRE.md §6.4, §6.5). */
public final class SyncRoutes {
    private final SessionService sessions;
    private final SyncService sync;
    private final java.time.Clock clock;

    public SyncRoutes(SessionService sessions, SyncService sync, java.time.Clock clock) {
        this.sessions = sessions;
        this.sync = sync;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post("/sdk/SyncContext", this::syncContext);
        routes.get("/sdk/GetContextInfo", this::info);
        routes.post("/sdk/GetContextInfo", this::info);
    }

    private void syncContext(Context ctx) {
        String sessionId = required(ctx, "sessionId");
        LiveSession session =
                sessions.running(tenant(ctx), sessionId).orElseThrow(() -> ApiException.sessionNotFound(sessionId));
        session.touch(clock.millis()); // a sync is activity; polling GetContextInfo is not
        sync.request(session, SyncRequest.parse(param(ctx, "mode"), param(ctx, "contextId"), param(ctx, "path")));
        Envelope.ok(ctx, null);
    }

    private void info(Context ctx) {
        String sessionId = required(ctx, "sessionId");
        sessions.visible(tenant(ctx), sessionId).orElseThrow(() -> ApiException.sessionNotFound(sessionId));
        String status =
                sync.contextStatus(sessionId, param(ctx, "contextId"), param(ctx, "path"), param(ctx, "taskType"));
        Envelope.ok(ctx, Map.of("contextStatus", status));
    }
}
