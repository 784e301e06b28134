package org.openagb.sdk;

import java.util.List;

/**
 * The entries of a directory, from {@link FileSystem#list(String)}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param entries one entry per child, in server order
 */
public record DirectoryListResult(boolean success, String requestId, String errorMessage, List<FileEntry> entries)
        implements ApiResult {
    public DirectoryListResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
