package org.openagb.sdk;

/**
 * The bytes of a file, from {@link FileSystem#readBytes(String)}. The array is not copied; do not modify it.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param content the file's bytes, or empty on failure
 */
public record BinaryContentResult(boolean success, String requestId, String errorMessage, byte[] content)
        implements ApiResult {
    public BinaryContentResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        content = content == null ? new byte[0] : content;
    }
}
