package org.openagb.sdk;

/**
 * The outcome of {@link AGB#create(CreateSessionParams)} or {@link AGB#get(String)}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param session the session, or {@code null} on failure
 */
public record SessionResult(boolean success, String requestId, String errorMessage, Session session)
        implements ApiResult {
    public SessionResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
    }
}
