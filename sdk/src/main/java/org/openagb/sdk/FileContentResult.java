package org.openagb.sdk;

/**
 * The text of a file, from {@link FileSystem#read(String)}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param content the file's text, exactly (trailing newline included), or {@code ""} on failure
 */
public record FileContentResult(boolean success, String requestId, String errorMessage, String content)
        implements ApiResult {
    public FileContentResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        content = content == null ? "" : content;
    }
}
