package org.openagb.server.internal.context;

import static org.openagb.server.internal.http.Requests.param;
import static org.openagb.server.internal.http.Requests.required;
import static org.openagb.server.internal.http.Requests.tenant;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Envelope;
import org.openagb.server.internal.http.Requests;

/** The context endpoints of WIRE.md §6.5 (all arguments in the query string; bodies ignored). */
public final class ContextRoutes {
    private final ContextService contexts;

    public ContextRoutes(ContextService contexts) {
        this.contexts = contexts;
    }

    public void register(RoutesConfig routes) {
        routes.get("/sdk/ListContexts", this::list);
        routes.get("/sdk/GetContext", this::get);
        routes.post("/sdk/GetContext", this::get);
        routes.post("/sdk/ModifyContext", this::modify);
        routes.post("/sdk/DeleteContext", this::delete);
        routes.post("/sdk/ClearContext", this::clear);
        routes.post("/sdk/DescribeContextFiles", this::describeFiles);
        routes.post("/sdk/DeleteContextFile", this::deleteFile);
    }

    private void list(Context ctx) {
        int max = Requests.intParam(ctx, "maxResults", 10, 1, 1000);
        String token = param(ctx, "nextToken");
        int offset = 0;
        if (token != null && !token.isBlank()) {
            try {
                offset = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw ApiException.invalid("Parameter 'nextToken' ('" + token
                        + "') is not a token this server issued (pass the nextToken of the previous page)");
            }
        }
        List<ContextRecord> page = contexts.list(tenant(ctx), max, offset);
        long total = contexts.count(tenant(ctx));
        String next = offset + page.size() < total ? String.valueOf(offset + page.size()) : "";
        Envelope.ok(
                ctx,
                page.stream().map(ContextRoutes::view).toList(),
                Map.of("nextToken", next, "maxResults", max, "totalCount", total));
    }

    private void get(Context ctx) {
        String id = param(ctx, "id");
        String name = param(ctx, "name");
        boolean create = Requests.boolParam(ctx, "allowCreate", false);
        ContextRecord record;
        if (id != null && !id.isBlank()) {
            if (create) {
                throw ApiException.invalid("Cannot get context by id '" + id
                        + "' with allowCreate=true: a context is created by name (pass name instead of id)");
            }
            record = contexts.byId(tenant(ctx), id)
                    .orElseThrow(() -> ApiException.contextNotFound("with id '" + id + "'"));
        } else if (name != null && !name.isBlank()) {
            record = contexts.byName(tenant(ctx), name, create);
        } else {
            throw ApiException.invalid("Cannot get a context without 'id' or 'name' (pass one of them)");
        }
        Envelope.ok(ctx, view(record));
    }

    private void modify(Context ctx) {
        contexts.rename(tenant(ctx), required(ctx, "id"), required(ctx, "name"));
        Envelope.ok(ctx, null);
    }

    private void delete(Context ctx) {
        contexts.delete(tenant(ctx), required(ctx, "id"));
        Envelope.ok(ctx, null);
    }

    private void clear(Context ctx) {
        contexts.clear(tenant(ctx), required(ctx, "id"));
        Envelope.ok(ctx, null);
    }

    private void describeFiles(Context ctx) {
        String contextId = required(ctx, "contextId");
        String parent = param(ctx, "parentFolderPath");
        int page = Requests.intParam(ctx, "pageNumber", 1, 1, Integer.MAX_VALUE);
        int size = Requests.intParam(ctx, "pageSize", 50, 1, 1000);
        ContextService.FilePage files = contexts.listFiles(tenant(ctx), contextId, parent, page, size);
        Envelope.ok(ctx, files.entries(), Map.of("count", files.total()));
    }

    private void deleteFile(Context ctx) {
        contexts.deleteFile(tenant(ctx), required(ctx, "contextId"), required(ctx, "filePath"));
        Envelope.ok(ctx, null);
    }

    static Map<String, Object> view(ContextRecord c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("state", c.state().wireName());
        m.put("createTime", Instant.ofEpochMilli(c.createdAt()).toString());
        m.put("lastUsedTime", Instant.ofEpochMilli(c.lastUsedAt()).toString());
        m.put("osType", "linux");
        return m;
    }
}
