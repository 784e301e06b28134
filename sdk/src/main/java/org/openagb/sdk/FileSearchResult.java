package org.openagb.sdk;

import java.util.List;

/**
 * The paths that matched, from {@link FileSystem#search(String, String, java.util.List)}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param matches absolute paths, empty when nothing matched
 */
public record FileSearchResult(boolean success, String requestId, String errorMessage, List<String> matches)
        implements ApiResult {
    public FileSearchResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        matches = matches == null ? List.of() : List.copyOf(matches);
    }
}
