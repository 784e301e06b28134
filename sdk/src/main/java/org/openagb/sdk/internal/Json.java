package org.openagb.sdk.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.UncheckedIOException;

/** The SDK's one {@link ObjectMapper} (thread-safe once configured) and lenient helpers. */
public final class Json {
    public static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {}

    /** Compact JSON text of {@code value}. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(
                    "Cannot write JSON of " + value.getClass().getSimpleName(), e);
        }
    }

    /** Parses {@code text}, or returns {@code null} when it is not JSON. */
    public static JsonNode parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The text of {@code node.field}, or {@code fallback} when it is missing or null. */
    public static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node == null ? MissingNode.getInstance() : node.path(field);
        return value.isMissingNode() || value.isNull() ? fallback : value.asText();
    }

    public static String text(JsonNode node, String field) {
        return text(node, field, "");
    }
}
