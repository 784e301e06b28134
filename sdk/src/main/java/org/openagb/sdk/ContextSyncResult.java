package org.openagb.sdk;

/**
 * The outcome of {@link SessionContext#sync()}: success once every upload/download task finished and none failed.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 */
public record ContextSyncResult(boolean success, String requestId, String errorMessage) implements ApiResult {
    public ContextSyncResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
    }
}
