package org.openagb.server.internal.context;

import static org.openagb.server.internal.http.Requests.param;
import static org.openagb.server.internal.http.Requests.required;
import static org.openagb.server.internal.http.Requests.tenant;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Envelope;
import org.openagb.server.internal.http.Requests;
import org.openagb.sync.RestoreResult;

/**
 * The context-version extension endpoints (not in the AGB protocol; docs/versions.md and docs/server.md): arguments in
 * the query string, bodies ignored, the usual envelope, and the same key scoping as GetContext.
 */
public final class VersionRoutes {
    private final VersionService versions;

    public VersionRoutes(VersionService versions) {
        this.versions = versions;
    }

    public void register(RoutesConfig routes) {
        routes.get("/sdk/ListContextVersions", this::list);
        routes.post("/sdk/ListContextVersions", this::list);
        routes.get("/sdk/DiffContextVersions", this::diff);
        routes.post("/sdk/DiffContextVersions", this::diff);
        routes.post("/sdk/RestoreContextVersion", this::restore);
    }

    private void list(Context ctx) {
        int max = Requests.intParam(ctx, "maxResults", 100, 1, 1000);
        String token = param(ctx, "nextToken");
        long below = 0;
        if (token != null && !token.isBlank()) {
            try {
                below = Long.parseLong(token.trim());
            } catch (NumberFormatException e) {
                below = -1;
            }
            if (below < 1) {
                throw ApiException.invalid("Parameter 'nextToken' ('" + token
                        + "') is not a token this server issued (pass the nextToken of the previous page, or none)");
            }
        }
        VersionService.VersionPage page = versions.list(tenant(ctx), required(ctx, "contextId"), max, below);
        Envelope.ok(
                ctx,
                page.versions(),
                Map.of("nextToken", page.nextToken(), "maxResults", max, "totalCount", page.total()));
    }

    private void diff(Context ctx) {
        String contextId = required(ctx, "contextId");
        long from = generation(ctx, "fromGeneration");
        long to = generation(ctx, "toGeneration");
        int max = Requests.intParam(ctx, "maxResults", 100, 1, 1000);
        VersionService.DiffPage page = versions.diff(tenant(ctx), contextId, from, to, param(ctx, "nextToken"), max);
        Envelope.ok(
                ctx,
                page.changes(),
                Map.of(
                        "nextToken",
                        page.nextToken(),
                        "maxResults",
                        max,
                        "count",
                        page.changes().size()));
    }

    private void restore(Context ctx) {
        String contextId = required(ctx, "contextId");
        long generation = generation(ctx, "generation");
        RestoreResult r = versions.restore(tenant(ctx), contextId, generation);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("restoredGeneration", r.restored());
        data.put("generation", r.head().generation());
        data.put("committed", r.committed());
        Envelope.ok(ctx, data);
    }

    /** A required generation number: a whole number >= 1. */
    static long generation(Context ctx, String name) {
        String value = required(ctx, name);
        try {
            long g = Long.parseLong(value.trim());
            if (g >= 1) {
                return g;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid("Parameter '" + name + "' ('" + value
                + "') must be a generation number >= 1 (ListContextVersions lists the generations a context keeps)");
    }
}
