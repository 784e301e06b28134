package org.openagb.sdk;

import java.util.List;

/**
 * The sync task statuses of a session, from {@link SessionContext#info()}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param statuses one entry per (context, path, task type) the server tracks for the session
 */
public record ContextInfoResult(boolean success, String requestId, String errorMessage, List<ContextStatus> statuses)
        implements ApiResult {
    public ContextInfoResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        statuses = statuses == null ? List.of() : List.copyOf(statuses);
    }
}
