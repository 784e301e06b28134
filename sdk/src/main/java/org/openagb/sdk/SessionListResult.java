package org.openagb.sdk;

import java.util.List;

/**
 * One page of the live sessions of the account, from {@link AGB#list(java.util.Map, int, int)}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id (of the last page read), or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param sessions the sessions of this page, with their status
 * @param nextToken the token of the next page, or {@code ""} on the last page
 * @param maxResults the page size
 * @param totalCount the number of sessions matching the labels, on all pages
 */
public record SessionListResult(
        boolean success,
        String requestId,
        String errorMessage,
        List<SessionSummary> sessions,
        String nextToken,
        int maxResults,
        int totalCount)
        implements ApiResult {
    public SessionListResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
        nextToken = nextToken == null ? "" : nextToken;
    }

    /** The ids of {@link #sessions()}, in order (the official SDK's {@code session_ids}). */
    public List<String> sessionIds() {
        return sessions.stream().map(SessionSummary::sessionId).toList();
    }
}
