package org.openagb.sdk;

/**
 * The state of one sync task of a session (one item of GetContextInfo's {@code contextStatus}).
 *
 * @param contextId the context synced
 * @param path the session path synced, verbatim as the task was created for
 * @param errorMessage why the task failed, or {@code ""}
 * @param status {@code Pending}, {@code Running}, {@code Success} or {@code Failed}
 * @param startTime epoch milliseconds, or 0 if unknown
 * @param finishTime epoch milliseconds, or 0 if unknown or unfinished
 * @param taskType {@code upload} or {@code download}
 */
public record ContextStatus(
        String contextId,
        String path,
        String errorMessage,
        String status,
        long startTime,
        long finishTime,
        String taskType) {

    /** Whether the task ended, successfully or not. */
    public boolean finished() {
        return "Success".equals(status) || "Failed".equals(status);
    }
}
