package org.openagb.sdk;

import java.util.List;

/**
 * One page of {@link ContextService#list(ContextListParams)}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param contexts the contexts of this page
 * @param nextToken the token of the next page, or {@code ""} on the last page
 * @param maxResults the page size asked for
 * @param totalCount the number of contexts the server reported, or the size of this page
 */
public record ContextListResult(
        boolean success,
        String requestId,
        String errorMessage,
        List<Context> contexts,
        String nextToken,
        int maxResults,
        int totalCount)
        implements ApiResult {
    public ContextListResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        contexts = contexts == null ? List.of() : List.copyOf(contexts);
        nextToken = nextToken == null ? "" : nextToken;
    }
}
