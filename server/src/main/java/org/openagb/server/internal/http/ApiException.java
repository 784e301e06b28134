package org.openagb.server.internal.http;

/**
 * A failure reported to the client as an AGB envelope: {@code success:false}, a stable {@link #code()} and a
 * message that names the bad value and says how to fix it.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiException invalid(String message) {
        return new ApiException(400, "InvalidParameter", message);
    }

    public static ApiException sessionNotFound(String sessionId) {
        return new ApiException(
                400,
                "InvalidMcpSession.NotFound",
                "Session " + quote(sessionId)
                        + " not found (it was released, timed out, or belongs to another API key)");
    }

    public static ApiException contextNotFound(String what) {
        return new ApiException(400, "InvalidContext.NotFound", "Context " + what + " not found for this API key");
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    static String quote(String value) {
        return "'" + value + "'";
    }
}
