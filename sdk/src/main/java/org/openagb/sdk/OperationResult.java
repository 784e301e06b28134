package org.openagb.sdk;

/**
 * The outcome of a call that returns nothing but success: context update/delete, file write/mkdir/remove/move/edit.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 */
public record OperationResult(boolean success, String requestId, String errorMessage) implements ApiResult {
    public OperationResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
    }
}
