package org.openagb.server.internal.http;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP server: authentication, error envelopes and the routes each feature registers. Every API answer is
 * JSON, errors included; no stack trace reaches a client.
 */
public final class HttpApp {
    private static final Logger log = LoggerFactory.getLogger(HttpApp.class);

    private HttpApp() {}

    /**
     * Starts the server.
     *
     * @param authenticate API key secret → tenant id
     * @param features each registers its routes
     */
    public static Javalin start(
            String host,
            int port,
            long maxRequestBytes,
            Function<String, Optional<String>> authenticate,
            List<Consumer<RoutesConfig>> features) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = maxRequestBytes;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.before(ctx -> authenticate(ctx, authenticate));
            features.forEach(f -> f.accept(config.routes));
            config.routes.exception(ApiException.class, (e, ctx) -> {
                log.info("event=request.rejected path={} code={} message=\"{}\"", ctx.path(), e.code(), e.getMessage());
                Envelope.error(ctx, e.status(), e.code(), e.getMessage());
            });
            // A caller's bad path or policy, wherever it was found: 400 InvalidParameter naming the value, once here.
            config.routes.exception(org.openagb.sync.InvalidContextPathException.class, (e, ctx) -> {
                log.info(
                        "event=request.rejected path={} code=InvalidParameter message=\"{}\"",
                        ctx.path(),
                        e.getMessage());
                Envelope.error(ctx, 400, "InvalidParameter", e.getMessage());
            });
            config.routes.exception(org.openagb.model.PolicyException.class, (e, ctx) -> {
                log.info(
                        "event=request.rejected path={} code=InvalidParameter message=\"{}\"",
                        ctx.path(),
                        e.getMessage());
                Envelope.error(ctx, 400, "InvalidParameter", e.getMessage());
            });
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                String code = e.getStatus() == 413 ? "RequestTooLarge" : "HttpError";
                String message = e.getStatus() == 413
                        ? "Request body is larger than the server's limit of " + maxRequestBytes
                                + " bytes (send smaller chunks; write_file appends in chunks)"
                        : e.getMessage();
                Envelope.error(ctx, e.getStatus(), code, message);
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("event=request.failed path={} error=\"{}\"", ctx.path(), e.getMessage(), e);
                Envelope.error(
                        ctx,
                        500,
                        "InternalError",
                        "Internal error while handling " + ctx.path() + " (request id " + Envelope.requestId(ctx)
                                + "; see the server log)");
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    Envelope.error(ctx, 404, "NotFound", "No API endpoint " + ctx.method() + " " + ctx.path());
                }
            });
        });
        app.start();
        return app;
    }

    private static void authenticate(Context ctx, Function<String, Optional<String>> authenticate) {
        String path = ctx.path();
        MDC.put("requestId", Envelope.requestId(ctx));
        if (!(path.startsWith("/mcp") || path.startsWith("/sdk") || path.startsWith("/internet"))) {
            return;
        }
        String header = ctx.header("authorization");
        String secret = header == null
                ? null
                : header.startsWith("Bearer ") ? header.substring(7).trim() : header.trim();
        Optional<String> tenant = secret == null ? Optional.empty() : authenticate.apply(secret);
        if (tenant.isEmpty()) {
            throw new ApiException(
                    401,
                    "InvalidApiKey",
                    header == null
                            ? "Missing API key: send the header 'authorization: Bearer <key>' (set AGB_API_KEY)"
                            : "Invalid or revoked API key (check AGB_API_KEY; 'openagb keys list' shows the keys)");
        }
        ctx.attribute("tenant", tenant.get());
    }
}
