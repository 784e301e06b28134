package org.openagb.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A tool the session's image offers, from {@link Session#listMcpTools()}.
 *
 * @param name the tool name used in tool calls, such as {@code shell}
 * @param description what the tool does
 * @param inputSchema the JSON schema of its arguments (an empty object if the server sent none)
 * @param server the MCP server that provides it, or {@code ""}
 * @param tool the server-side tool name, or {@code ""}
 */
public record McpTool(String name, String description, JsonNode inputSchema, String server, String tool) {
    public McpTool {
        name = name == null ? "" : name;
        description = description == null ? "" : description;
        inputSchema = inputSchema == null || inputSchema.isMissingNode() || inputSchema.isNull()
                ? JsonNodeFactory.instance.objectNode()
                : inputSchema.deepCopy();
        server = server == null ? "" : server;
        tool = tool == null ? "" : tool;
    }
}
