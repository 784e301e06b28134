package org.openagb.sandbox;

import java.util.Objects;

/**
 * The result of one MCP tool call: the single text item of the {@code CallToolResult} and its {@code isError} flag.
 */
public record ToolResult(boolean isError, String text) {
    public ToolResult {
        Objects.requireNonNull(text, "text");
    }

    public static ToolResult success(String text) {
        return new ToolResult(false, text);
    }

    public static ToolResult error(String text) {
        return new ToolResult(true, text);
    }
}
