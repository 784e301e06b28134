package org.openagb.sandbox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed access to a tool call's argument object; every failure is a {@link ToolException} naming the argument. */
public final class ToolArgs {
    private final String tool;
    private final ObjectNode args;

    public ToolArgs(String tool, ObjectNode args) {
        this.tool = tool;
        this.args = args;
    }

    public String requiredString(String name) {
        JsonNode node = args.get(name);
        if (node == null || node.isNull()) {
            throw new ToolException("Missing argument '" + name + "' for tool '" + tool + "'");
        }
        if (!node.isTextual()) {
            throw new ToolException("Argument '" + name + "' of tool '" + tool + "' must be a string, got " + node);
        }
        return node.asText();
    }

    public String optionalString(String name, String fallback) {
        JsonNode node = args.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new ToolException("Argument '" + name + "' of tool '" + tool + "' must be a string, got " + node);
        }
        return node.asText();
    }

    public long optionalLong(String name, long fallback) {
        JsonNode node = args.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (node.isIntegralNumber() || (node.isNumber() && node.asDouble() == Math.rint(node.asDouble()))) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new ToolException("Argument '" + name + "' of tool '" + tool + "' must be an integer, got " + node);
    }

    public boolean optionalBoolean(String name, boolean fallback) {
        JsonNode node = args.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isTextual() && (node.asText().equals("true") || node.asText().equals("false"))) {
            return Boolean.parseBoolean(node.asText());
        }
        throw new ToolException("Argument '" + name + "' of tool '" + tool + "' must be true or false, got " + node);
    }

    public List<String> stringList(String name, boolean required) {
        JsonNode node = args.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw new ToolException("Missing argument '" + name + "' for tool '" + tool + "'");
            }
            return List.of();
        }
        if (!node.isArray()) {
            throw new ToolException(
                    "Argument '" + name + "' of tool '" + tool + "' must be an array of strings, got " + node);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new ToolException(
                        "Argument '" + name + "' of tool '" + tool + "' must be an array of strings, got item " + item);
            }
            out.add(item.asText());
        }
        return out;
    }

    public Map<String, String> stringMap(String name) {
        JsonNode node = args.get(name);
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new ToolException("Argument '" + name + "' of tool '" + tool + "' must be an object, got " + node);
        }
        node.fields()
                .forEachRemaining(e -> out.put(
                        e.getKey(),
                        e.getValue().isTextual()
                                ? e.getValue().asText()
                                : e.getValue().toString()));
        return out;
    }

    public JsonNode node(String name) {
        return args.get(name);
    }

    /** A tool failure whose message is the text returned to the caller. */
    public static final class ToolException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ToolException(String message) {
            super(message);
        }
    }
}
