package org.openagb.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Locale;

/**
 * One API call's outcome: the HTTP status and JSON envelope, or the transport failure that prevented them.
 *
 * @param endpoint {@code METHOD url} for messages
 * @param status HTTP status, or 0 after a transport failure
 * @param body the parsed JSON envelope, or {@code null} (transport failure or non-JSON body)
 * @param requestId the envelope's {@code requestId}, else the {@code x-request-id} header, else {@code ""}
 * @param transportError why no response arrived, or {@code null}
 */
public record ApiResponse(String endpoint, int status, JsonNode body, String requestId, String transportError) {

    /** HTTP 200 and {@code success} is boolean {@code true} (WIRE §1.4 classes A–C). */
    public boolean ok() {
        return transportError == null
                && status == 200
                && body != null
                && body.path("success").isBoolean()
                && body.path("success").booleanValue();
    }

    public JsonNode data() {
        return body == null ? MissingNode.getInstance() : body.path("data");
    }

    public String code() {
        return Json.text(body, "code");
    }

    public String message() {
        return Json.text(body, "message");
    }

    /** A human-readable reason for a failed call: transport error, {@code [code] message}, or the HTTP status. */
    public String errorMessage() {
        if (transportError != null) {
            return transportError;
        }
        if (body == null) {
            return "Cannot call " + endpoint + ": HTTP " + status
                    + " with a body that is not JSON (check that the endpoint is an AGB server)";
        }
        String code = code();
        String message = message();
        if (!message.isEmpty()) {
            return code.isEmpty() || code.equalsIgnoreCase("ok") ? message : "[" + code + "] " + message;
        }
        return "HTTP " + status + " error" + (code.isEmpty() ? "" : " [" + code + "]");
    }

    /** WIRE §2.3: whether a failed getSessionInfo means the session is gone. */
    public boolean sessionNotFound() {
        if (body == null || ok()) {
            return false;
        }
        String code = code();
        String message = message();
        String lower = message.toLowerCase(Locale.ROOT);
        if (code.equals("InvalidMcpSession.NotFound") || lower.contains("not found")) {
            return true;
        }
        return body.path("httpStatusCode").asInt() == 400
                && (message.contains("NotFound")
                        || code.toLowerCase(Locale.ROOT).contains("not found"));
    }
}
