package org.openagb.sdk;

import java.util.List;

/**
 * Differences between two versions of a context, in path order, from {@link ContextService#diffVersions}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id (of the last page fetched), or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param changes the changed paths (of this page, or of every page for the unpaged call)
 * @param nextToken pass it to get the next page; {@code ""} when there is none
 */
public record ContextVersionDiffResult(
        boolean success, String requestId, String errorMessage, List<ContextVersionChange> changes, String nextToken)
        implements ApiResult {
    public ContextVersionDiffResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        changes = changes == null ? List.of() : List.copyOf(changes);
        nextToken = nextToken == null ? "" : nextToken;
    }
}
