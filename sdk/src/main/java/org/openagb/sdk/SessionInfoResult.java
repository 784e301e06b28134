package org.openagb.sdk;

/**
 * A session's resource details, from {@link Session#info()} (getMcpResource). The desktop fields are {@code ""} for
 * sessions without a desktop, which is every OpenAGB session.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param sessionId the session id
 * @param resourceUrl the resource URL, or {@code ""}
 * @param appId desktop app id, or {@code ""}
 * @param authCode desktop auth code, or {@code ""}
 * @param connectionProperties desktop connection properties as sent, or {@code ""}
 * @param resourceId desktop resource id, or {@code ""}
 * @param resourceType desktop resource type, or {@code ""}
 * @param ticket desktop ticket, or {@code ""}
 */
public record SessionInfoResult(
        boolean success,
        String requestId,
        String errorMessage,
        String sessionId,
        String resourceUrl,
        String appId,
        String authCode,
        String connectionProperties,
        String resourceId,
        String resourceType,
        String ticket)
        implements ApiResult {
    public SessionInfoResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        sessionId = sessionId == null ? "" : sessionId;
        resourceUrl = resourceUrl == null ? "" : resourceUrl;
        appId = appId == null ? "" : appId;
        authCode = authCode == null ? "" : authCode;
        connectionProperties = connectionProperties == null ? "" : connectionProperties;
        resourceId = resourceId == null ? "" : resourceId;
        resourceType = resourceType == null ? "" : resourceType;
        ticket = ticket == null ? "" : ticket;
    }

    static SessionInfoResult failed(String requestId, String errorMessage, String sessionId) {
        return new SessionInfoResult(false, requestId, errorMessage, sessionId, "", "", "", "", "", "", "");
    }
}
