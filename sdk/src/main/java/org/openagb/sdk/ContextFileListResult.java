package org.openagb.sdk;

import java.util.List;

/**
 * One page of the children of a context folder, from {@link ContextService#listFiles(String, String, int, int)}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param entries the entries of this page, in server order
 * @param count the total number of children of the folder (all pages), or the size of this page if the server did not
 *     say
 */
public record ContextFileListResult(
        boolean success, String requestId, String errorMessage, List<ContextFileEntry> entries, int count)
        implements ApiResult {
    public ContextFileListResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
