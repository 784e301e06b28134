package org.openagb.sdk;

/**
 * A presigned URL of one context file, from {@link ContextService#getFileUploadUrl(String, String)} or
 * {@link ContextService#getFileDownloadUrl(String, String)}. The URL carries its own authorisation: send a plain
 * {@code PUT} (upload) or {@code GET} (download) to it, without the API key.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param url the absolute URL, or {@code ""} on failure
 * @param expireTime seconds until the URL expires, or 0 if the server did not say
 */
public record FileUrlResult(boolean success, String requestId, String errorMessage, String url, long expireTime)
        implements ApiResult {
    public FileUrlResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        url = url == null ? "" : url;
    }
}
