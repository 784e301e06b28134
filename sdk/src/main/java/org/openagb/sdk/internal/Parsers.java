package org.openagb.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openagb.sdk.CodeResultItem;
import org.openagb.sdk.CodeRunResult;
import org.openagb.sdk.CommandResult;
import org.openagb.sdk.Context;
import org.openagb.sdk.ContextFileEntry;
import org.openagb.sdk.ContextStatus;
import org.openagb.sdk.FileEntry;
import org.openagb.sdk.FileInfo;
import org.openagb.sdk.McpTool;
import org.openagb.sdk.SessionSummary;

/**
 * Pure parsers of the texts and JSON documents the server sends (WIRE §2, §5, §6.5).
 *
 * <p>Why it is this long: one parser per tool result format of the wire, kept together so that ParsersParityTest
 * checks them against the official SDKs' parsers in one place.
 */
public final class Parsers {
    private Parsers() {}

    /**
     * Parses a {@code shell} result (WIRE §5.1). On success, {@code exit_code == 0} decides; text that is not JSON is
     * the output of a successful command. On failure, the error text may hold the same JSON ({@code exit_code} or
     * {@code errorCode}); the error message is then stderr, else the raw text.
     */
    public static CommandResult shell(ToolResponse response) {
        String text = response.success() ? response.text() : response.errorMessage();
        JsonNode json = Json.parseOrNull(text);
        if (json == null || !json.isObject()) {
            return response.success()
                    ? new CommandResult(true, response.requestId(), "", text, 0, text, "")
                    : new CommandResult(false, response.requestId(), response.errorMessage(), "", -1, "", "");
        }
        String stdout = Json.text(json, "stdout");
        String stderr = Json.text(json, "stderr");
        JsonNode code = json.has("exit_code") ? json.path("exit_code") : json.path("errorCode");
        if (response.success()) {
            int exitCode = code.asInt(0);
            return new CommandResult(
                    exitCode == 0, response.requestId(), "", stdout + stderr, exitCode, stdout, stderr);
        }
        int exitCode = code.isMissingNode() || code.isNull() ? -1 : code.asInt(-1);
        String error = stderr.isEmpty() ? text : stderr;
        return new CommandResult(false, response.requestId(), error, stdout + stderr, exitCode, stdout, stderr);
    }

    /** Parses {@code get_file_info}'s {@code key: value} lines (split at the first colon, both sides trimmed). */
    public static FileInfo fileInfo(String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String line : lines(text)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                attributes.put(
                        line.substring(0, colon).trim(),
                        line.substring(colon + 1).trim());
            }
        }
        long size;
        try {
            size = (long) Double.parseDouble(attributes.getOrDefault("size", "0"));
        } catch (NumberFormatException e) {
            size = 0;
        }
        return new FileInfo(
                attributes.getOrDefault("name", ""),
                attributes.getOrDefault("path", ""),
                size,
                "true".equalsIgnoreCase(attributes.get("isDirectory")),
                attributes.getOrDefault("modTime", ""),
                attributes.getOrDefault("mode", ""),
                attributes);
    }

    /** Parses {@code list_directory}: {@code [DIR] name} and {@code [FILE] name} lines; other lines are ignored. */
    public static List<FileEntry> directory(String text) {
        List<FileEntry> entries = new ArrayList<>();
        for (String line : lines(text)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("[DIR]")) {
                entries.add(new FileEntry(trimmed.substring(5).strip(), true));
            } else if (trimmed.startsWith("[FILE]")) {
                entries.add(new FileEntry(trimmed.substring(6).strip(), false));
            }
        }
        return entries;
    }

    /** Parses {@code search_files}: one path per line, or exactly {@code No matches found}. */
    public static List<String> searchMatches(String text) {
        List<String> matches = new ArrayList<>();
        if (text == null || text.strip().equals("No matches found")) {
            return matches;
        }
        for (String line : lines(text)) {
            if (!line.isBlank()) {
                matches.add(line.strip());
            }
        }
        return matches;
    }

    /**
     * Parses {@code read_multiple_files} as the official SDK does: a line with a colon opens a block (path = text before
     * the first colon), lines up to a {@code ---} line are its content, trimmed.
     */
    public static Map<String, String> batch(String text) {
        Map<String, String> contents = new LinkedHashMap<>();
        String path = null;
        List<String> content = new ArrayList<>();
        for (String line : lines(text)) {
            if (path == null && line.contains(":")) {
                int colon = line.indexOf(':');
                path = line.substring(0, colon);
                content = new ArrayList<>();
                String rest = line.substring(colon + 1).strip();
                if (!rest.isEmpty()) {
                    content.add(rest);
                }
            } else if (line.equals("---")) {
                if (path != null) {
                    contents.put(path, String.join("\n", content).strip());
                    path = null;
                }
            } else if (path != null) {
                content.add(line);
            }
        }
        if (path != null) {
            contents.put(path, String.join("\n", content).strip());
        }
        return contents;
    }

    /**
     * Parses GetContextInfo's {@code data.contextStatus}: a string holding a JSON array of {@code {type, data}} whose
     * {@code data} is a string holding a JSON array of status items (WIRE §6.5). Items of another type than
     * {@code data} are skipped; an empty string means no tasks. Arrays sent unencoded are tolerated.
     *
     * @throws IllegalArgumentException if the text is not that format
     */
    public static List<ContextStatus> contextStatus(JsonNode contextStatus) {
        List<ContextStatus> statuses = new ArrayList<>();
        JsonNode outer = decoded(contextStatus);
        if (outer == null) {
            return statuses;
        }
        for (JsonNode group : outer) {
            if (!"data".equals(group.path("type").asText())) {
                continue;
            }
            JsonNode items = decoded(group.path("data"));
            if (items == null) {
                continue;
            }
            for (JsonNode item : items) {
                statuses.add(new ContextStatus(
                        Json.text(item, "contextId"),
                        Json.text(item, "path"),
                        Json.text(item, "errorMessage"),
                        Json.text(item, "status"),
                        item.path("startTime").asLong(0),
                        item.path("finishTime").asLong(0),
                        Json.text(item, "taskType")));
            }
        }
        return statuses;
    }

    private static JsonNode decoded(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isArray()) {
            return node;
        }
        String text = node.asText();
        if (text.isBlank()) {
            return null;
        }
        JsonNode parsed = Json.parseOrNull(text);
        if (parsed == null || !parsed.isArray()) {
            throw new IllegalArgumentException("Cannot parse contextStatus '" + text
                    + "': it is not a JSON array (the server must send a JSON-encoded string, WIRE.md §6.5)");
        }
        return parsed;
    }

    /** A context from GetContext or ListContexts {@code data}. */
    public static Context context(JsonNode node) {
        return new Context(
                Json.text(node, "id"),
                Json.text(node, "name"),
                Json.text(node, "state"),
                Json.text(node, "createTime"),
                Json.text(node, "lastUsedTime"));
    }

    /** An entry of DescribeContextFiles {@code data} (WIRE §6.5). */
    public static ContextFileEntry contextFile(JsonNode node) {
        return new ContextFileEntry(
                Json.text(node, "fileId"),
                Json.text(node, "fileName"),
                Json.text(node, "filePath"),
                Json.text(node, "fileType"),
                Json.text(node, "gmtCreate"),
                Json.text(node, "gmtModified"),
                node.path("size").asLong(0),
                Json.text(node, "status"));
    }

    /** The entries of DescribeContextFiles {@code data}: an array (anything else gives no entries). */
    public static List<ContextFileEntry> contextFiles(JsonNode data) {
        List<ContextFileEntry> entries = new ArrayList<>();
        if (data != null && data.isArray()) {
            data.forEach(item -> entries.add(contextFile(item)));
        }
        return entries;
    }

    /** The sessions of ListSession {@code data}: {@code [{sessionId, sessionStatus}]}; items without an id are skipped. */
    public static List<SessionSummary> sessions(JsonNode data) {
        List<SessionSummary> sessions = new ArrayList<>();
        if (data != null && data.isArray()) {
            for (JsonNode item : data) {
                String id = Json.text(item, "sessionId");
                if (!id.isEmpty()) {
                    sessions.add(new SessionSummary(id, Json.text(item, "sessionStatus", Json.text(item, "status"))));
                }
            }
        }
        return sessions;
    }

    /**
     * The labels of GetLabel {@code data.labels}: a string holding a JSON object (an object sent unencoded is
     * tolerated); an empty string means none. Non-string values are kept as their JSON text.
     *
     * @throws IllegalArgumentException if it is not that format
     */
    public static Map<String, String> labels(JsonNode labels) {
        Map<String, String> result = new LinkedHashMap<>();
        if (labels == null || labels.isMissingNode() || labels.isNull()) {
            return result;
        }
        JsonNode object = labels;
        if (labels.isTextual()) {
            if (labels.asText().isBlank()) {
                return result;
            }
            object = Json.parseOrNull(labels.asText());
        }
        if (object == null || !object.isObject()) {
            throw new IllegalArgumentException("Cannot parse labels '" + labels.asText()
                    + "': they are not a JSON object (the server must send a JSON-encoded string, WIRE.md §2.6)");
        }
        object.fields()
                .forEachRemaining(e -> result.put(
                        e.getKey(),
                        e.getValue().isTextual()
                                ? e.getValue().asText()
                                : e.getValue().toString()));
        return result;
    }

    /**
     * The tools of listTools {@code data}: a string holding a JSON array of {@code {name, description, inputSchema,
     * server, tool}} (an array sent unencoded is tolerated); an empty string means none. An {@code inputSchema} sent
     * as a JSON string is parsed.
     *
     * @throws IllegalArgumentException if it is not that format
     */
    public static List<McpTool> mcpTools(JsonNode data) {
        List<McpTool> tools = new ArrayList<>();
        if (data == null || data.isMissingNode() || data.isNull()) {
            return tools;
        }
        JsonNode array = data;
        if (data.isTextual()) {
            if (data.asText().isBlank()) {
                return tools;
            }
            array = Json.parseOrNull(data.asText());
        }
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("Cannot parse the tool list '" + abbreviate(data.asText())
                    + "': it is not a JSON array (the server must send a JSON-encoded string, WIRE.md §4.4)");
        }
        for (JsonNode item : array) {
            JsonNode schema = item.path("inputSchema");
            if (schema.isTextual()) {
                JsonNode parsed = Json.parseOrNull(schema.asText());
                schema = parsed == null ? schema : parsed;
            }
            tools.add(new McpTool(
                    Json.text(item, "name"),
                    Json.text(item, "description"),
                    schema,
                    Json.text(item, "server"),
                    Json.text(item, "tool")));
        }
        return tools;
    }

    /**
     * Parses a {@code run_code} result (WIRE §5.3) as the official SDK does: the "new" format
     * {@code {result: [...], stdout, stderr, executionError, execution_count, execution_time}}; else the older
     * {@code {logs, results, error}} or {@code {content: [{text}]}} formats; text that is not a JSON object is the main
     * result of a successful run. A non-empty {@code executionError} fails the result with it as the message.
     */
    public static CodeRunResult codeRun(ToolResponse response) {
        String requestId = response.requestId();
        if (!response.success()) {
            String error = response.errorMessage().isEmpty()
                    ? "Cannot run code: the run_code tool failed"
                    : response.errorMessage();
            return new CodeRunResult(false, requestId, error, List.of(), List.of(), List.of(), 0, 0);
        }
        String text = response.text();
        if (text == null || text.isEmpty()) {
            return new CodeRunResult(
                    false,
                    requestId,
                    "Cannot run code: the server returned no result (no data returned)",
                    List.of(),
                    List.of(),
                    List.of(),
                    0,
                    0);
        }
        JsonNode json = Json.parseOrNull(text);
        if (json == null || !json.isObject()) {
            return new CodeRunResult(
                    true, requestId, "", List.of(CodeResultItem.ofText(text, true)), List.of(text), List.of(), 0, 0);
        }
        if (json.path("result").isArray()) {
            List<CodeResultItem> results = new ArrayList<>();
            json.path("result").forEach(item -> results.add(resultItem(item)));
            JsonNode executionError = json.path("executionError");
            String error = executionError.isMissingNode() || executionError.isNull()
                    ? ""
                    : executionError.isTextual() ? executionError.asText() : executionError.toString();
            if (executionError.isBoolean() && !executionError.booleanValue()) {
                error = "";
            }
            return new CodeRunResult(
                    error.isEmpty(),
                    requestId,
                    error,
                    results,
                    strings(json.path("stdout")),
                    strings(json.path("stderr")),
                    json.path("execution_count").asInt(0),
                    json.path("execution_time").asDouble(0));
        }
        if (json.has("logs") || json.has("results")) {
            List<CodeResultItem> results = new ArrayList<>();
            json.path("results").forEach(item -> results.add(resultItem(item)));
            JsonNode errorNode = json.path("error");
            String error = "";
            if (errorNode.isObject()) {
                error = Json.text(errorNode, "value");
                if (error.isEmpty()) {
                    error = Json.text(errorNode, "name", "UnknownError");
                }
            }
            boolean failed = json.path("isError").asBoolean(false);
            return new CodeRunResult(
                    !failed,
                    requestId,
                    failed && error.isEmpty() ? "Cannot run code: the server reported an error" : error,
                    results,
                    strings(json.path("logs").path("stdout")),
                    strings(json.path("logs").path("stderr")),
                    json.path("execution_count").asInt(0),
                    json.path("execution_time").asDouble(0));
        }
        if (json.has("content")) {
            JsonNode first = json.path("content").path(0).path("text");
            if (first.isMissingNode() || first.isNull()) {
                return new CodeRunResult(
                        false,
                        requestId,
                        "Cannot run code: no content found in the response",
                        List.of(),
                        List.of(),
                        List.of(),
                        0,
                        0);
            }
            String value = first.asText();
            return new CodeRunResult(
                    true, requestId, "", List.of(CodeResultItem.ofText(value, true)), List.of(value), List.of(), 0, 0);
        }
        return new CodeRunResult(
                true, requestId, "", List.of(CodeResultItem.ofText(text, true)), List.of(text), List.of(), 0, 0);
    }

    /**
     * One {@code run_code} result item: a mime-bundle object, or a JSON string of one (possibly encoded twice);
     * anything else becomes a plain-text item that is not the main result.
     */
    public static CodeResultItem resultItem(JsonNode item) {
        if (item == null || item.isNull() || item.isMissingNode()) {
            return CodeResultItem.ofText("", false);
        }
        if (item.isObject()) {
            Map<String, JsonNode> bundle = new LinkedHashMap<>();
            boolean main = false;
            var fields = item.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (field.getKey().equals("isMainResult") || field.getKey().equals("is_main_result")) {
                    main |= field.getValue().asBoolean(false);
                } else {
                    bundle.put(field.getKey(), field.getValue());
                }
            }
            return new CodeResultItem(main, bundle);
        }
        if (item.isTextual()) {
            JsonNode parsed = Json.parseOrNull(item.asText());
            if (parsed != null && parsed.isTextual()) {
                JsonNode twice = Json.parseOrNull(parsed.asText());
                parsed = twice == null ? parsed : twice;
            }
            if (parsed != null && parsed.isObject()) {
                return resultItem(parsed);
            }
            return CodeResultItem.ofText(
                    parsed == null || !parsed.isTextual() ? item.asText() : parsed.asText(), false);
        }
        return CodeResultItem.ofText(item.toString(), false);
    }

    private static List<String> strings(JsonNode node) {
        List<String> strings = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> strings.add(n.isTextual() ? n.asText() : n.toString()));
        } else if (node.isTextual()) {
            strings.add(node.asText());
        }
        return strings;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    private static List<String> lines(String text) {
        return text == null || text.isEmpty() ? List.of() : List.of(text.split("\r?\n", -1));
    }
}
