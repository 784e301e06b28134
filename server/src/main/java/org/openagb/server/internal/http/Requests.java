package org.openagb.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * Reads request arguments the way the official SDKs send them: form-decoded query parameters, and for the
 * session endpoints a JSON body that may be missing, empty or {@code {}}.
 */
public final class Requests {
    private Requests() {}

    public static String tenant(Context ctx) {
        return ctx.attribute("tenant");
    }

    /** The JSON body, or a missing node when there is none (Content-Type is ignored). */
    public static JsonNode body(Context ctx) {
        JsonNode cached = ctx.attribute("jsonBody");
        if (cached != null) {
            return cached;
        }
        String text = ctx.body();
        JsonNode node = text == null || text.isBlank() ? MissingNode.getInstance() : Json.parse("request body", text);
        ctx.attribute("jsonBody", node);
        return node;
    }

    /** A query parameter, or the body field of the same name; null if neither is present. */
    public static String param(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value != null) {
            return value;
        }
        JsonNode node = body(ctx).path(name);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isTextual() ? node.asText() : node.toString();
    }

    public static String required(Context ctx, String name) {
        String value = param(ctx, name);
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("Missing required parameter '" + name + "' (send it in the query string)");
        }
        return value;
    }

    public static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String value = param(ctx, name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw ApiException.invalid(
                        "Parameter '" + name + "' (" + value + ") must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("Parameter '" + name + "' ('" + value + "') must be a whole number");
        }
    }

    public static boolean boolParam(Context ctx, String name, boolean defaultValue) {
        String value = param(ctx, name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw ApiException.invalid("Parameter '" + name + "' ('" + value + "') must be true or false");
    }

    /** Set by a node that forwards a call to the session's node (one hop: a forwarded call is never forwarded). */
    public static final String FORWARDED_HEADER = "x-openagb-forwarded-by";

    /** The URL the forwarding node reached this node at (its registered {@code --node-url}). */
    public static final String NODE_URL_HEADER = "x-openagb-node-url";

    /** Whether another node forwarded this call here. */
    public static boolean forwarded(Context ctx) {
        return ctx.header(FORWARDED_HEADER) != null;
    }

    /** A Host header worth echoing back in a URL: a host name or address, an optional port, nothing else. */
    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");

    /**
     * The base URL a client reaches this server at, for URLs handed to it (file URLs, linkUrl): the configured public
     * base URL if any, else the request's Host header (when it is a plain host[:port]), else the local address.
     */
    public static String baseUrl(Context ctx, String publicBaseUrl) {
        if (publicBaseUrl != null) {
            return publicBaseUrl;
        }
        // Forwarded by another node: the URLs of this node's session point here, where the call is answered.
        String nodeUrl = ctx.header(NODE_URL_HEADER);
        if (nodeUrl != null
                && ctx.header(FORWARDED_HEADER) != null
                && org.openagb.server.ServerConfig.NODE_URL
                        .matcher(nodeUrl.strip())
                        .matches()) {
            return nodeUrl.strip();
        }
        String host = ctx.header("Host");
        if (host != null && HOST.matcher(host.strip()).matches()) {
            return "http://" + host.strip();
        }
        String addr = ctx.req().getLocalAddr();
        return "http://" + (addr.contains(":") ? "[" + addr + "]" : addr) + ":"
                + ctx.req().getLocalPort();
    }
}
