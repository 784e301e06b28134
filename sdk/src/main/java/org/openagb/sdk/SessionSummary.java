package org.openagb.sdk;

/**
 * One session of {@link AGB#list()}.
 *
 * @param sessionId the session id (use {@link AGB#get(String)} for a {@link Session})
 * @param status the session's status as the server listed it, such as {@code RUNNING}, or {@code ""}
 */
public record SessionSummary(String sessionId, String status) {
    public SessionSummary {
        sessionId = sessionId == null ? "" : sessionId;
        status = status == null ? "" : status;
    }
}
