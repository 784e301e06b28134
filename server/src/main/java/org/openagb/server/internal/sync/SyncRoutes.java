package org.openagb.server.internal.sync;

import static org.openagb.server.internal.http.Requests.param;
import static org.openagb.server.internal.http.Requests.required;
import static org.openagb.server.internal.http.Requests.tenant;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.openagb.server.internal.http.Envelope;
import org.openagb.server.internal.session.SessionService;

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
        var session = sessions.running(tenant(ctx), required(ctx, "sessionId"));
        session.touch(clock.millis()); // a sync is activity; polling GetContextInfo is not
        sync.request(session, param(ctx, "contextId"), param(ctx, "path"), param(ctx, "mode"));
        Envelope.ok(ctx, null);
    }

    private void info(Context ctx) {
        String sessionId = required(ctx, "sessionId");
        sessions.visible(tenant(ctx), sessionId);
        String status =
                sync.contextStatus(sessionId, param(ctx, "contextId"), param(ctx, "path"), param(ctx, "taskType"));
        Envelope.ok(ctx, Map.of("contextStatus", status));
    }
}
