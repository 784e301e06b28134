package org.openagb.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openagb.sdk.CommandResult;
import org.openagb.sdk.Context;
import org.openagb.sdk.ContextStatus;
import org.openagb.sdk.FileEntry;
import org.openagb.sdk.FileInfo;

/** Pure parsers of the texts and JSON documents the server sends (WIRE §5, §6.5). */
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

    private static List<String> lines(String text) {
        return text == null || text.isEmpty() ? List.of() : List.of(text.split("\r?\n", -1));
    }
}
