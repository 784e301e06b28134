package org.openagb.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The server's one JSON mapper. */
public final class Json {
    public static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "Cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    /** Parses a JSON document sent by a client; a syntax error becomes an InvalidParameter naming the field. */
    public static JsonNode parse(String field, String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("Cannot parse " + field + " '" + abbreviate(text) + "': not valid JSON ("
                    + e.getOriginalMessage() + ")");
        }
    }

    public static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
