package org.openagb.sdk;

/**
 * The outcome of a {@link ContextService} lookup or creation.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param context the context, or {@code null} on failure
 */
public record ContextResult(boolean success, String requestId, String errorMessage, Context context)
        implements ApiResult {
    public ContextResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
    }
}
