package org.openagb.sdk;

/**
 * A session's status, from {@link Session#status()}.
 *
 * @param success whether the call succeeded (a released session fails with a "not found" message)
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param status {@code RUNNING} while alive, {@code DELETING} during release, {@code FINISH} after; {@code ""} on
 *     failure
 */
public record SessionStatusResult(boolean success, String requestId, String errorMessage, String status)
        implements ApiResult {
    public SessionStatusResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        status = status == null ? "" : status;
    }
}
