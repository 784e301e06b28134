package org.openagb.sdk;

import java.util.List;

/**
 * The tools of a session's image, from {@link Session#listMcpTools()}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param tools the tools, in server order
 */
public record McpToolsResult(boolean success, String requestId, String errorMessage, List<McpTool> tools)
        implements ApiResult {
    public McpToolsResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
