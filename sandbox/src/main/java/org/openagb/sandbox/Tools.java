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
 * The MCP tools of a session (WIRE.md §5): {@code shell}, {@code run_code} and the file tools.
 *
 * <p>Tool failures are results with {@code isError} set and a text that names the value and how to fix it; this
 * class does not throw for bad arguments or paths. Thread safe.
 */
public final class Tools {
    /** Names of the tools {@link #call} answers, in a stable order. */
    public static final List<String> NAMES = List.of(
            "shell",
            "run_code",
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

    /** {@code timeout_s} of {@code run_code} when a call gives none. */
    public static final long DEFAULT_RUN_CODE_TIMEOUT_S = 60;

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
            if ("run_code".equals(toolName)) {
                return runCode(sandbox, a);
            }
            FileTools files = new FileTools(sandbox.files().paths(), sandbox.files()::adopt);
            requireDiskSpace(sandbox, toolName, a);
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
                    throw new ToolException("Unknown tool '" + toolName
                            + "': this session does not support it (known tools: " + String.join(", ", NAMES) + ")");
            };
            if (WRITING_TOOLS.contains(toolName)) {
                sandbox.filesChanged();
            }
            return ToolResult.success(text);
        } catch (ToolException | SandboxException e) {
            if (WRITING_TOOLS.contains(toolName)) {
                sandbox.filesChanged(); // a failed write may still have written part
            }
            return ToolResult.error(e.getMessage());
        }
    }

    /** File tools that change the session's files: disk usage is measured again after them. */
    private static final List<String> WRITING_TOOLS =
            List.of("write_file", "create_directory", "delete_file", "move_file", "edit_file");

    /** File tools that add data refuse when the session is over its disk quota ({@link SessionLimits#diskBytes()}). */
    private static void requireDiskSpace(Sandbox sandbox, String toolName, ToolArgs args) {
        switch (toolName) {
            case "write_file" -> {
                String content = args.optionalString("content", "");
                sandbox.requireDiskSpace(
                        "write",
                        args.optionalString("path", ""),
                        content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            }
            case "edit_file" -> {
                if (!args.optionalBoolean("dryRun", false)) {
                    sandbox.requireDiskSpace("edit", args.optionalString("path", ""), 0);
                }
            }
            case "create_directory" -> sandbox.requireDiskSpace("create directory", args.optionalString("path", ""), 0);
            default -> {
                // Reading, listing, deleting and moving inside the session never add data.
            }
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

    /**
     * {@code run_code}: the cell's outcome as the wire's JSON with {@code isError:false}, runtime errors and
     * timeouts included (in {@code executionError}); {@code isError:true} only for bad arguments or a kernel that
     * cannot start (e.g. the image lacks the runtime).
     */
    private ToolResult runCode(Sandbox sandbox, ToolArgs args) {
        String code = args.requiredString("code");
        String language = args.optionalString("language", "python").strip().toLowerCase(java.util.Locale.ROOT);
        language = switch (language) {
            case "py", "python3" -> "python";
            case "js", "node", "nodejs" -> "javascript";
            default -> language;
        };
        if (!CodeRequest.LANGUAGES.contains(language)) {
            throw new ToolException("Unsupported language '" + language + "' for tool 'run_code' (supported: "
                    + String.join(", ", CodeRequest.LANGUAGES) + ")");
        }
        long timeoutS = args.optionalLong("timeout_s", DEFAULT_RUN_CODE_TIMEOUT_S);
        if (timeoutS <= 0) {
            throw new ToolException("Argument 'timeout_s' of tool 'run_code' (" + timeoutS + ") must be > 0");
        }
        CodeResult result = sandbox.runCode(new CodeRequest(language, code, Duration.ofSeconds(timeoutS)));
        try {
            return ToolResult.success(json.writeValueAsString(result.toWire()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }
}
