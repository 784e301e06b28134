package org.openagb.sdk;

/**
 * The outcome of {@link AGB#delete(Session)}: success once the session is released.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 */
public record DeleteResult(boolean success, String requestId, String errorMessage) implements ApiResult {
    public DeleteResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
    }
}
