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
    /**
     * The tools {@link #call} answers, in the order listTools shows them: the one catalogue, from which the names, the
     * wire's tool list and schemas, and the set of tools that write derive.
     */
    public static final List<ToolSpec> CATALOG = List.of(
            new ToolSpec(
                    "shell",
                    "wuying_shell",
                    "Run a shell command in the session",
                    "{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"},\"timeout_ms\":{\"type\":\"integer\"},"
                            + "\"cwd\":{\"type\":\"string\"},\"envs\":{\"type\":\"object\"}},\"required\":[\"command\"]}",
                    false),
            new ToolSpec(
                    "read_file",
                    "wuying_filesystem",
                    "Read a file (text, or base64 with format=binary)",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"offset\":{\"type\":\"integer\"},"
                            + "\"length\":{\"type\":\"integer\"},\"format\":{\"type\":\"string\"}},\"required\":[\"path\"]}",
                    false),
            new ToolSpec(
                    "write_file",
                    "wuying_filesystem",
                    "Write a file (overwrite, append or create_new)",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"content\":{\"type\":\"string\"},"
                            + "\"mode\":{\"type\":\"string\"}},\"required\":[\"path\",\"content\"]}",
                    true),
            new ToolSpec(
                    "list_directory",
                    "wuying_filesystem",
                    "List a directory",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}",
                    false),
            new ToolSpec(
                    "create_directory",
                    "wuying_filesystem",
                    "Create a directory and its parents",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}",
                    true),
            new ToolSpec(
                    "get_file_info",
                    "wuying_filesystem",
                    "Describe a file or directory",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}",
                    false),
            new ToolSpec(
                    "delete_file",
                    "wuying_filesystem",
                    "Delete a file or an empty directory",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}",
                    true),
            new ToolSpec(
                    "move_file",
                    "wuying_filesystem",
                    "Move or rename a file",
                    "{\"type\":\"object\",\"properties\":{\"source\":{\"type\":\"string\"},\"destination\":{\"type\":\"string\"}},"
                            + "\"required\":[\"source\",\"destination\"]}",
                    true),
            new ToolSpec(
                    "edit_file",
                    "wuying_filesystem",
                    "Replace exact text in a file",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"edits\":{\"type\":\"array\"},"
                            + "\"dryRun\":{\"type\":\"boolean\"}},\"required\":[\"path\",\"edits\"]}",
                    true),
            new ToolSpec(
                    "search_files",
                    "wuying_filesystem",
                    "Find files by name pattern",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"pattern\":{\"type\":\"string\"},"
                            + "\"excludePatterns\":{\"type\":\"array\"}},\"required\":[\"path\",\"pattern\"]}",
                    false),
            new ToolSpec(
                    "run_code",
                    "wuying_codespace",
                    "Run code in the session's stateful kernel (python, javascript, java, r)",
                    "{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\"},\"language\":{\"type\":\"string\"},"
                            + "\"timeout_s\":{\"type\":\"integer\"}},\"required\":[\"code\",\"language\"]}",
                    false),
            new ToolSpec(
                    "get_file_change",
                    "wuying_filesystem",
                    "Changes (create, modify, delete) under a directory since the previous call for it; the first call"
                            + " takes the baseline",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}",
                    false),
            new ToolSpec(
                    "get_metrics",
                    "wuying_system",
                    "CPU, memory, disk and network use of the session",
                    "{\"type\":\"object\",\"properties\":{}}",
                    false),
            new ToolSpec(
                    "read_multiple_files",
                    "wuying_filesystem",
                    "Read several files",
                    "{\"type\":\"object\",\"properties\":{\"paths\":{\"type\":\"array\"}},\"required\":[\"paths\"]}",
                    false));

    /** Names of the tools {@link #call} answers, in the catalogue's order. */
    public static final List<String> NAMES =
            CATALOG.stream().map(ToolSpec::name).toList();

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
            if ("get_metrics".equals(toolName)) {
                return ToolResult.success(metricsJson(sandbox.metrics()));
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
                case "get_file_change" -> files.fileChanges(a, sandbox.fileChanges());
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
            CATALOG.stream().filter(ToolSpec::writes).map(ToolSpec::name).toList();

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
        CodeRequest request;
        try {
            request = codeRequest(
                    args.requiredString("code"),
                    args.optionalString("language", "python"),
                    args.optionalLong("timeout_s", DEFAULT_RUN_CODE_TIMEOUT_S));
        } catch (IllegalArgumentException e) {
            throw new ToolException(e.getMessage());
        }
        CodeResult result = sandbox.runCode(request);
        try {
            return ToolResult.success(json.writeValueAsString(result.toWire()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The request of a {@code run_code} call, checked as the tool checks it: the code must not be blank, the language
     * is one of {@link CodeRequest#LANGUAGES} or an alias the SDKs send ({@code py}, {@code python3}, {@code js},
     * {@code node}, {@code nodejs}; any case), the timeout is positive. For callers that run code outside
     * {@link #call}, such as a streamed run.
     *
     * @throws IllegalArgumentException naming the bad value and what is accepted
     */
    public static CodeRequest codeRequest(String code, String language, long timeoutSeconds) {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("Argument 'code' of tool 'run_code' is empty: pass the code to run");
        }
        String id = (language == null ? "python" : language).strip().toLowerCase(java.util.Locale.ROOT);
        id = switch (id) {
            case "py", "python3" -> "python";
            case "js", "node", "nodejs" -> "javascript";
            default -> id;
        };
        if (!CodeRequest.LANGUAGES.contains(id)) {
            throw new IllegalArgumentException("Unsupported language '" + id + "' for tool 'run_code' (supported: "
                    + String.join(", ", CodeRequest.LANGUAGES) + ")");
        }
        if (timeoutSeconds <= 0) {
            throw new IllegalArgumentException(
                    "Argument 'timeout_s' of tool 'run_code' (" + timeoutSeconds + ") must be > 0");
        }
        return new CodeRequest(id, code, Duration.ofSeconds(timeoutSeconds));
    }

    /** The {@code get_metrics} JSON, with the key names the official SDKs parse. */
    private String metricsJson(SessionMetrics m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu_count", m.cpuCount());
        out.put("cpu_used_pct", m.cpuUsedPercent());
        out.put("mem_total", m.memoryTotal());
        out.put("mem_used", m.memoryUsed());
        out.put("disk_total", m.diskTotal());
        out.put("disk_used", m.diskUsed());
        out.put("rx_rate_kbyte_per_s", m.rxKiloBytesPerSecond());
        out.put("tx_rate_kbyte_per_s", m.txKiloBytesPerSecond());
        out.put("rx_used_kbyte", m.rxKiloBytes());
        out.put("tx_used_kbyte", m.txKiloBytes());
        out.put("timestamp", m.timestamp().toString());
        try {
            return json.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }
}
