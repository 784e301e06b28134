package org.openagb.sdk;

import org.openagb.sdk.internal.ApiClient;

/**
 * A running sandbox session. Obtained from {@link AGB#create(CreateSessionParams)} or {@link AGB#get(String)};
 * released with {@link AGB#delete(Session)}. Thread-safe: it holds only immutable state and its client.
 */
public final class Session {
    private final String id;
    private final String resourceUrl;
    private final String appInstanceId;
    private final String resourceId;
    private final Command command;
    private final FileSystem file;
    private final SessionContext context;

    Session(ApiClient client, String id, String resourceUrl, String appInstanceId, String resourceId) {
        this.id = id;
        this.resourceUrl = resourceUrl;
        this.appInstanceId = appInstanceId;
        this.resourceId = resourceId;
        this.command = new Command(client, id);
        this.file = new FileSystem(client, id);
        this.context = new SessionContext(client, id);
    }

    /** The session id. */
    public String id() {
        return id;
    }

    /** The resource URL the server reported, or {@code ""}. */
    public String resourceUrl() {
        return resourceUrl;
    }

    /** The app instance id the server reported, or {@code ""}. */
    public String appInstanceId() {
        return appInstanceId;
    }

    /** The resource id the server reported, or {@code ""}. */
    public String resourceId() {
        return resourceId;
    }

    /** Shell commands in this session. */
    public Command command() {
        return command;
    }

    /** Files in this session. */
    public FileSystem file() {
        return file;
    }

    /** Context sync of this session's mounts. */
    public SessionContext context() {
        return context;
    }

    @Override
    public String toString() {
        return "Session[" + id + "]";
    }
}
