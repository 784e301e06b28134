package org.openagb.sdk;

import static org.openagb.sdk.internal.ApiClient.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.openagb.sdk.internal.ApiClient;
import org.openagb.sdk.internal.ApiResponse;
import org.openagb.sdk.internal.Json;
import org.openagb.sdk.internal.Parsers;

/**
 * A running sandbox session. Obtained from {@link AGB#create(CreateSessionParams)} or {@link AGB#get(String)};
 * released with {@link AGB#delete(Session)}. Thread-safe: it holds only immutable state and its client.
 */
public final class Session {
    private final ApiClient client;
    private final String id;
    private final String resourceUrl;
    private final String appInstanceId;
    private final String resourceId;
    private final String imageId;
    private final Command command;
    private final Code code;
    private final FileSystem file;
    private final SessionContext context;

    Session(ApiClient client, String id, String resourceUrl, String appInstanceId, String resourceId, String imageId) {
        this.client = client;
        this.id = id;
        this.resourceUrl = resourceUrl;
        this.appInstanceId = appInstanceId;
        this.resourceId = resourceId;
        this.imageId = imageId == null ? "" : imageId;
        this.command = new Command(client, id);
        this.code = new Code(client, id);
        this.context = new SessionContext(client, id);
        this.file = new FileSystem(client, id, context);
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

    /**
     * The image the session runs: the one it was created from, or (after {@link AGB#get(String)}) the one the server
     * reported; {@code ""} if unknown.
     */
    public String imageId() {
        return imageId;
    }

    /** Shell commands in this session. */
    public Command command() {
        return command;
    }

    /** Code execution (Python, JavaScript, Java, R) in this session. */
    public Code code() {
        return code;
    }

    /** Files in this session, and transfers between it and the local machine. */
    public FileSystem file() {
        return file;
    }

    /** Context sync of this session's mounts. */
    public SessionContext context() {
        return context;
    }

    /**
     * Replaces all labels of the session with {@code labels} (SetLabel). {@link AGB#list(Map, int, int)} filters on
     * them.
     *
     * @throws IllegalArgumentException if {@code labels} is null or empty, or a key or value is blank (as the official
     *     SDK refuses)
     */
    public OperationResult setLabels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("Cannot set labels '" + labels + "' of session '" + id
                    + "': there are none (pass at least one, such as Map.of(\"project\", \"alpha\"))");
        }
        labels.forEach((key, value) -> {
            if (key == null || key.isBlank() || value == null || value.isBlank()) {
                throw new IllegalArgumentException("Cannot set label '" + key + "'='" + value + "' of session '" + id
                        + "': keys and values must not be blank (give both, such as project=alpha)");
            }
        });
        ApiResponse response = client.post("/sdk/SetLabel", query("sessionId", id, "Labels", Json.write(labels)), null);
        return new OperationResult(response.ok(), response.requestId(), response.ok() ? "" : response.errorMessage());
    }

    /** The session's labels (GetLabel). */
    public LabelsResult labels() {
        ApiResponse response = client.get("/sdk/GetLabel", query("sessionId", id));
        if (!response.ok()) {
            return new LabelsResult(false, response.requestId(), response.errorMessage(), Map.of());
        }
        try {
            return new LabelsResult(
                    true,
                    response.requestId(),
                    "",
                    Parsers.labels(response.data().path("labels")));
        } catch (IllegalArgumentException e) {
            return new LabelsResult(false, response.requestId(), e.getMessage(), Map.of());
        }
    }

    /** Resets the session's idle-release timer (refreshSessionIdleTime), as any tool call does. */
    public OperationResult keepAlive() {
        ApiResponse response = client.post("/mcp/refreshSessionIdleTime", query("sessionId", id), null);
        return new OperationResult(response.ok(), response.requestId(), response.ok() ? "" : response.errorMessage());
    }

    /**
     * The session's status (getSessionInfo). Does not reset the idle timer. A released session fails with the server's
     * "not found" message.
     */
    public SessionStatusResult status() {
        ApiResponse response = client.post("/mcp/getSessionInfo", null, Map.of("sessionId", id));
        if (!response.ok()) {
            return new SessionStatusResult(false, response.requestId(), response.errorMessage(), "");
        }
        JsonNode data = response.data();
        return new SessionStatusResult(
                true, response.requestId(), "", Json.text(data, "status", Json.text(data, "Status")));
    }

    /** The session's resource details (getMcpResource). */
    public SessionInfoResult info() {
        ApiResponse response = client.post("/mcp/getMcpResource", null, Map.of("sessionId", id));
        if (!response.ok()) {
            return SessionInfoResult.failed(response.requestId(), response.errorMessage(), id);
        }
        JsonNode data = response.data();
        if (!data.isObject()) {
            return SessionInfoResult.failed(
                    response.requestId(),
                    "Cannot get info of session '" + id + "': the response has no resource data",
                    id);
        }
        JsonNode desktop = data.path("desktopInfo");
        JsonNode connection = desktop.path("connectionProperties");
        return new SessionInfoResult(
                true,
                response.requestId(),
                "",
                Json.text(data, "sessionId", id),
                Json.text(data, "resourceUrl"),
                Json.text(desktop, "appId"),
                Json.text(desktop, "authCode"),
                connection.isMissingNode() || connection.isNull()
                        ? ""
                        : connection.isTextual() ? connection.asText() : connection.toString(),
                Json.text(desktop, "resourceId"),
                Json.text(desktop, "resourceType"),
                Json.text(desktop, "ticket"));
    }

    /**
     * The tools of the session's image (listTools).
     *
     * @throws IllegalArgumentException if the session's {@link #imageId()} is unknown; use
     *     {@link #listMcpTools(String)}
     */
    public McpToolsResult listMcpTools() {
        return listMcpTools(imageId);
    }

    /**
     * The tools of image {@code imageId} (listTools).
     *
     * @throws IllegalArgumentException if {@code imageId} is blank
     */
    public McpToolsResult listMcpTools(String imageId) {
        if (imageId == null || imageId.isBlank()) {
            throw new IllegalArgumentException("Cannot list MCP tools of image '" + imageId + "' for session '" + id
                    + "': the image id is unknown (pass it: listMcpTools(\"" + CreateSessionParams.DEFAULT_IMAGE_ID
                    + "\"))");
        }
        ApiResponse response = client.post("/mcp/listTools", query("imageId", imageId), null);
        if (!response.ok()) {
            return new McpToolsResult(false, response.requestId(), response.errorMessage(), List.of());
        }
        try {
            return new McpToolsResult(true, response.requestId(), "", Parsers.mcpTools(response.data()));
        } catch (IllegalArgumentException e) {
            return new McpToolsResult(false, response.requestId(), e.getMessage(), List.of());
        }
    }

    @Override
    public String toString() {
        return "Session[" + id + "]";
    }
}
