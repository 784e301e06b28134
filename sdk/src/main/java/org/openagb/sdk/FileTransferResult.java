package org.openagb.sdk;

/**
 * The outcome of {@link FileSystem#upload(java.nio.file.Path, String)} or
 * {@link FileSystem#download(String, java.nio.file.Path)}.
 *
 * @param success whether the file arrived and the sync task finished without error
 * @param requestId the request id of the GetContextFileUploadUrl / GetContextFileDownloadUrl call, or {@code ""} if the
 *     transfer failed before it
 * @param syncRequestId the request id of the SyncContext call, or {@code ""} if the transfer failed before it
 * @param errorMessage why it failed, or {@code ""}
 * @param bytes bytes sent (upload) or received (download) over HTTP
 */
public record FileTransferResult(
        boolean success, String requestId, String syncRequestId, String errorMessage, long bytes) implements ApiResult {
    public FileTransferResult {
        requestId = requestId == null ? "" : requestId;
        syncRequestId = syncRequestId == null ? "" : syncRequestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
    }
}
