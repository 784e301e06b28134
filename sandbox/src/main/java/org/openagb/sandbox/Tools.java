package org.openagb.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openagb.sandbox.internal.FileTools;
import org.openagb.sandbox.internal.ToolArgs;
import org.openagb.sandbox.internal.ToolArgs.ToolException;

/**
 * The MCP tools of a session (WIRE.md §5): {@code shell} and the file tools. {@code run_code} is not here.
 *
 * <p>Tool failures are results with {@code isError} set and a text that names the value and how to fix it; this
 * class does not throw for bad arguments or paths. Thread safe.
 */
public final class Tools {
    /** Names of the tools {@link #call} answers, in a stable order. */
    public static final List<String> NAMES = List.of(
            "shell",
            "read_file",
            "write_file",
            "list_directory",
            "create_directory",
            "get_file_info",
            "delete_file",
            "move_file",
            "edit_file",
            "search_files",
            "read_multiple_files");

    /** {@code timeout_ms} when a call gives none. */
    public static final long DEFAULT_SHELL_TIMEOUT_MS = 60_000;

    private final ObjectMapper json = new ObjectMapper();

    /** Whether {@code name} is one of {@link #NAMES}. */
    public static boolean handles(String name) {
        return NAMES.contains(name);
    }

    /**
     * Calls tool {@code toolName} with {@code argsJson} (a JSON object as a string; {@code null} or blank means
     * {@code {}}) in {@code sandbox}.
     */
    public ToolResult call(Sandbox sandbox, String toolName, String argsJson) {
        ObjectNode args;
        try {
            JsonNode node = argsJson == null || argsJson.isBlank() ? json.createObjectNode() : json.readTree(argsJson);
            if (!(node instanceof ObjectNode object)) {
                return ToolResult.error("Invalid arguments for tool '" + toolName + "': expected a JSON object, got "
                        + abbreviate(argsJson));
            }
            args = object;
        } catch (JsonProcessingException e) {
            return ToolResult.error(
                    "Invalid arguments for tool '" + toolName + "': not valid JSON (" + e.getOriginalMessage() + ")");
        }
        ToolArgs a = new ToolArgs(toolName, args);
        try {
            if ("shell".equals(toolName)) {
                return shell(sandbox, a);
            }
            FileTools files = new FileTools(sandbox.files().paths());
            String text = switch (toolName) {
                case "read_file" -> files.readFile(a);
                case "write_file" -> files.writeFile(a);
                case "list_directory" -> files.listDirectory(a);
                case "create_directory" -> files.createDirectory(a);
                case "get_file_info" -> files.fileInfo(a);
                case "delete_file" -> files.deleteFile(a);
                case "move_file" -> files.moveFile(a);
                case "edit_file" -> files.editFile(a);
                case "search_files" -> files.searchFiles(a);
                case "read_multiple_files" -> files.readMultipleFiles(a);
                default ->
                    throw new ToolException(
                            "Unknown tool '" + toolName + "' (known tools: " + String.join(", ", NAMES) + ")");
            };
            return ToolResult.success(text);
        } catch (ToolException | SandboxException e) {
            return ToolResult.error(e.getMessage());
        }
    }

    private ToolResult shell(Sandbox sandbox, ToolArgs args) {
        String command = args.requiredString("command");
        long timeoutMs = args.optionalLong("timeout_ms", DEFAULT_SHELL_TIMEOUT_MS);
        if (timeoutMs <= 0) {
            throw new ToolException("Argument 'timeout_ms' of tool 'shell' (" + timeoutMs + ") must be > 0");
        }
        String cwd = args.optionalString("cwd", null);
        Map<String, String> envs = args.stringMap("envs");
        CommandRequest request;
        try {
            request = CommandRequest.of(command, Duration.ofMillis(timeoutMs))
                    .withCwd(cwd == null || cwd.isBlank() ? null : cwd)
                    .withEnv(envs);
        } catch (IllegalArgumentException e) {
            throw new ToolException("Invalid arguments for tool 'shell': " + e.getMessage());
        }
        CommandResult result = sandbox.run(request);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stdout", result.stdout());
        out.put("stderr", result.stderr());
        out.put("exit_code", result.exitCode());
        out.put("traceId", "");
        try {
            return new ToolResult(!result.succeeded(), json.writeValueAsString(out));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }
}
