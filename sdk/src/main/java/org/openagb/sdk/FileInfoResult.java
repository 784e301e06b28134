package org.openagb.sdk;

/**
 * Metadata of a path, from {@link FileSystem#info(String)}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param info the metadata, or {@code null} on failure
 */
public record FileInfoResult(boolean success, String requestId, String errorMessage, FileInfo info)
        implements ApiResult {
    public FileInfoResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
    }
}
