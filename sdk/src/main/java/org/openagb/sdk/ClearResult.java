package org.openagb.sdk;

/**
 * The outcome of {@link ContextService#clear(String)} and {@link ContextService#clearAsync(String)}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param contextId the cleared context's id
 * @param state the context's state afterwards: {@code clearing} after clearAsync, {@code available} once cleared
 */
public record ClearResult(boolean success, String requestId, String errorMessage, String contextId, String state)
        implements ApiResult {
    public ClearResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        state = state == null ? "" : state;
    }
}
