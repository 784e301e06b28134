package org.openagb.server.internal.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.openagb.server.internal.http.Json;

/** The MCP tools a session offers, with the server names AGB clients know and their input schemas. */
public final class ToolCatalog {
    private record Tool(String name, String server, String description, String schema) {}

    private static final List<Tool> TOOLS = List.of(
            new Tool(
                    "shell",
                    "wuying_shell",
                    "Run a shell command in the session",
                    "{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"},\"timeout_ms\":{\"type\":\"integer\"},"
                            + "\"cwd\":{\"type\":\"string\"},\"envs\":{\"type\":\"object\"}},\"required\":[\"command\"]}"),
            new Tool(
                    "read_file",
                    "wuying_filesystem",
                    "Read a file (text, or base64 with format=binary)",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"offset\":{\"type\":\"integer\"},"
                            + "\"length\":{\"type\":\"integer\"},\"format\":{\"type\":\"string\"}},\"required\":[\"path\"]}"),
            new Tool(
                    "write_file",
                    "wuying_filesystem",
                    "Write a file (overwrite, append or create_new)",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"content\":{\"type\":\"string\"},"
                            + "\"mode\":{\"type\":\"string\"}},\"required\":[\"path\",\"content\"]}"),
            new Tool(
                    "list_directory",
                    "wuying_filesystem",
                    "List a directory",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}"),
            new Tool(
                    "create_directory",
                    "wuying_filesystem",
                    "Create a directory and its parents",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}"),
            new Tool(
                    "get_file_info",
                    "wuying_filesystem",
                    "Describe a file or directory",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}"),
            new Tool(
                    "delete_file",
                    "wuying_filesystem",
                    "Delete a file or an empty directory",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}"),
            new Tool(
                    "move_file",
                    "wuying_filesystem",
                    "Move or rename a file",
                    "{\"type\":\"object\",\"properties\":{\"source\":{\"type\":\"string\"},\"destination\":{\"type\":\"string\"}},"
                            + "\"required\":[\"source\",\"destination\"]}"),
            new Tool(
                    "edit_file",
                    "wuying_filesystem",
                    "Replace exact text in a file",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"edits\":{\"type\":\"array\"},"
                            + "\"dryRun\":{\"type\":\"boolean\"}},\"required\":[\"path\",\"edits\"]}"),
            new Tool(
                    "search_files",
                    "wuying_filesystem",
                    "Find files by name pattern",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"pattern\":{\"type\":\"string\"},"
                            + "\"excludePatterns\":{\"type\":\"array\"}},\"required\":[\"path\",\"pattern\"]}"),
            new Tool(
                    "run_code",
                    "wuying_codespace",
                    "Run code in the session's stateful kernel (python, javascript)",
                    "{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\"},\"language\":{\"type\":\"string\"},"
                            + "\"timeout_s\":{\"type\":\"integer\"}},\"required\":[\"code\",\"language\"]}"),
            new Tool(
                    "read_multiple_files",
                    "wuying_filesystem",
                    "Read several files",
                    "{\"type\":\"object\",\"properties\":{\"paths\":{\"type\":\"array\"}},\"required\":[\"paths\"]}"));

    private ToolCatalog() {}

    /** listTools' data: a JSON string of [{name, description, inputSchema, server, tool}]. */
    public static String json() {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Tool t : TOOLS) {
            ObjectNode o = array.addObject();
            o.put("name", t.name());
            o.put("description", t.description());
            o.set("inputSchema", Json.parse("schema", t.schema()));
            o.put("server", t.server());
            o.put("tool", t.name());
        }
        return Json.write(array);
    }

    /** createSession's toolList: a JSON string of [{name, server}]. */
    public static String namesAndServers() {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Tool t : TOOLS) {
            array.addObject().put("name", t.name()).put("server", t.server());
        }
        return Json.write(array);
    }
}
