package org.openagb.sandbox;

import java.util.Objects;

/**
 * One MCP tool a session offers (WIRE.md §5): its name, the server name AGB clients know it under, a description, its
 * JSON input schema, and whether it changes the session's files (disk usage is measured again after those).
 */
public record ToolSpec(String name, String server, String description, String inputSchema, boolean writes) {
    public ToolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(inputSchema, "inputSchema");
    }
}
