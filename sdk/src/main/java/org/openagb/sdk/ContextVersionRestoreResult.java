package org.openagb.sdk;

/**
 * What {@link ContextService#restoreVersion(String, long)} did.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param restoredGeneration the generation whose content was restored
 * @param generation the context's generation now: a new one, or the unchanged current one when it already held that
 *     content
 * @param committed false when nothing had to be committed (the current content was already that version's)
 */
public record ContextVersionRestoreResult(
        boolean success,
        String requestId,
        String errorMessage,
        long restoredGeneration,
        long generation,
        boolean committed)
        implements ApiResult {
    public ContextVersionRestoreResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
    }
}
