package org.openagb.server.internal.ports;

import static org.openagb.server.internal.http.Requests.param;
import static org.openagb.server.internal.http.Requests.required;
import static org.openagb.server.internal.http.Requests.tenant;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openagb.sandbox.PortConnection;
import org.openagb.sandbox.SandboxException;
import org.openagb.server.internal.http.ApiException;
import org.openagb.server.internal.http.Envelope;
import org.openagb.server.internal.http.Requests;
import org.openagb.server.internal.session.LiveSession;
import org.openagb.server.internal.session.PortLinks;
import org.openagb.server.internal.session.SessionService;

/**
 * Port links: {@code /internet/getLink} (and {@code /mcp/getLink}) hands the session's owner a URL for a port inside
 * the session, and {@code /p/<token>/…} forwards each HTTP request on it to {@code 127.0.0.1:<port>} in the session's
 * network namespace (through {@link org.openagb.sandbox.Sandbox#connect}), one connection per request. No API key on
 * {@code /p/}: the signed token is the credential, bound to one session and one port.
 */
public final class PortRoutes {
    static final String PREFIX = "/p/";
    /** Bytes of a forwarded request body at most. */
    static final int MAX_BODY = 32 * 1024 * 1024;

    private final SessionService sessions;
    private final PortLinks links;
    private final String publicBaseUrl;
    private final Clock clock;

    public PortRoutes(SessionService sessions, PortLinks links, String publicBaseUrl, Clock clock) {
        this.sessions = sessions;
        this.links = links;
        this.publicBaseUrl = publicBaseUrl;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        for (String path : List.of("/internet/getLink", "/mcp/getLink")) {
            routes.get(path, this::getLink);
            routes.post(path, this::getLink);
        }
        for (HandlerType method : List.of(
                HandlerType.GET,
                HandlerType.POST,
                HandlerType.PUT,
                HandlerType.PATCH,
                HandlerType.DELETE,
                HandlerType.HEAD,
                HandlerType.OPTIONS)) {
            routes.addHttpHandler(method, PREFIX + "{token}", this::forward);
            routes.addHttpHandler(method, PREFIX + "{token}/<rest>", this::forward);
        }
    }

    private void getLink(Context ctx) {
        String sessionId = required(ctx, "sessionId");
        sessions.running(tenant(ctx), sessionId).orElseThrow(() -> ApiException.sessionNotFound(sessionId));
        String rawPort = param(ctx, "port");
        int port = PortLinks.DEFAULT_PORT;
        if (rawPort != null && !rawPort.isBlank()) {
            try {
                port = Integer.parseInt(rawPort.strip());
            } catch (NumberFormatException e) {
                throw ApiException.invalid("Cannot link port '" + rawPort + "': it is not a number (use "
                        + PortLinks.MIN_PORT + "-" + PortLinks.MAX_PORT + ")");
            }
        }
        if (port < PortLinks.MIN_PORT || port > PortLinks.MAX_PORT) {
            throw ApiException.invalid("Cannot link port " + port + ": only ports " + PortLinks.MIN_PORT + "-"
                    + PortLinks.MAX_PORT + " of a session can be linked (start the service on one of those)");
        }
        String protocol = param(ctx, "protocolType");
        String base = Requests.baseUrl(ctx, publicBaseUrl);
        if (protocol != null && !protocol.isBlank()) {
            String p = protocol.strip().toLowerCase(Locale.ROOT);
            if (!p.equals("http") && !p.equals("https")) {
                throw ApiException.invalid("Cannot link with protocolType '" + protocol
                        + "': use http or https (https needs TLS in front of this server, see publicBaseUrl)");
            }
            base = p + base.substring(base.indexOf(':'));
        }
        String url = base + PREFIX + links.token(sessionId, port) + "/";
        Envelope.ok(ctx, Map.of("url", url));
    }

    private void forward(Context ctx) throws IOException {
        String token = ctx.pathParam("token");
        PortLinks.Target target = links.verify(token).orElse(null);
        if (target == null) {
            refuse(ctx, 403, "This port link is not valid (ask getLink for a new one)");
            return;
        }
        LiveSession session = sessions.runningById(target.sessionId()).orElse(null);
        if (session == null) {
            refuse(ctx, 404, "The session of this link is not running (it was released or timed out)");
            return;
        }
        byte[] body = readBody(ctx);
        if (body == null) {
            return;
        }
        session.touch(clock.millis());
        String method = ctx.method().name();
        String path = ctx.path().substring((PREFIX + token).length());
        String query = ctx.queryString();
        String requestTarget = (path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String name : ctx.headerMap().keySet()) {
            headers.add(Map.entry(name, ctx.header(name)));
        }
        try (PortConnection conn = session.sandbox().connect(target.port())) {
            PipeHttp.Response response;
            try {
                PipeHttp.writeRequest(conn.output(), method, requestTarget, target.port(), headers, body);
                response = PipeHttp.readResponse(conn.input(), method.equals("HEAD"));
            } catch (IOException e) {
                String why = conn.failure();
                refuse(
                        ctx,
                        502,
                        "Port " + target.port() + " of the session did not answer HTTP: "
                                + (why.isEmpty() ? e.getMessage() : why));
                return;
            }
            if (response == null) {
                String why = conn.failure();
                refuse(
                        ctx,
                        502,
                        why.isEmpty()
                                ? "Port " + target.port() + " of the session closed the connection without answering"
                                : why.replace("openagb-enter: ", ""));
                return;
            }
            ctx.status(response.status());
            for (Map.Entry<String, String> h : response.headers()) {
                if (!PipeHttp.HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    ctx.res().addHeader(h.getKey(), h.getValue());
                }
            }
            OutputStream out = ctx.res().getOutputStream();
            try (InputStream in = response.body()) {
                in.transferTo(out);
            }
            out.flush();
        } catch (SandboxException e) {
            refuse(ctx, 502, e.getMessage());
        }
    }

    /** The request body, at most {@link #MAX_BODY} bytes; null (and a 413 sent) if it is bigger. */
    private static byte[] readBody(Context ctx) throws IOException {
        long declared = ctx.contentLength();
        if (declared > MAX_BODY) {
            refuse(ctx, 413, "A port link forwards bodies of at most " + MAX_BODY + " bytes");
            return null;
        }
        byte[] body = ctx.req().getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            refuse(ctx, 413, "A port link forwards bodies of at most " + MAX_BODY + " bytes");
            return null;
        }
        return body;
    }

    private static void refuse(Context ctx, int status, String message) {
        ctx.status(status).contentType("text/plain; charset=utf-8").result(message + "\n");
    }
}
