package org.openagb.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.openagb.sdk.internal.Json;

/**
 * One output of {@link Code#run(String, String, int)}: a Jupyter-style mime bundle. The value of an expression on the
 * last line is the main result ({@code execute_result}); every {@code display(..)} adds one more item that is not.
 *
 * <p>The typed accessors read the standard mime keys (and the short aliases {@code text}, {@code html}, … that older
 * servers send); {@link #bundle()} has every key as sent.
 *
 * @param isMainResult whether this is the value of the code's last expression
 * @param bundle every mime key of the item with its value as sent ({@code isMainResult} itself excluded)
 */
public record CodeResultItem(boolean isMainResult, Map<String, JsonNode> bundle) {
    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String MARKDOWN = "text/markdown";
    public static final String PNG = "image/png";
    public static final String JPEG = "image/jpeg";
    public static final String SVG = "image/svg+xml";
    public static final String LATEX = "text/latex";
    public static final String JSON = "application/json";
    public static final String VEGA_LITE_V4 = "application/vnd.vegalite.v4+json";
    public static final String VEGA_LITE_V5 = "application/vnd.vegalite.v5+json";

    public CodeResultItem {
        bundle = bundle == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(bundle));
    }

    /** A plain-text item, as made of a result the server sent as bare text. */
    public static CodeResultItem ofText(String text, boolean isMainResult) {
        return new CodeResultItem(
                isMainResult, Map.of(TEXT, Json.MAPPER.getNodeFactory().textNode(text)));
    }

    /** {@code text/plain}: the repr of the value, such as {@code 42}. */
    public Optional<String> text() {
        return string(TEXT, "text");
    }

    /** {@code text/html}. */
    public Optional<String> html() {
        return string(HTML, "html");
    }

    /** {@code text/markdown}. */
    public Optional<String> markdown() {
        return string(MARKDOWN, "markdown");
    }

    /** {@code image/png} as base64 (decode with {@code Base64.getMimeDecoder()}). */
    public Optional<String> png() {
        return string(PNG, "png");
    }

    /** {@code image/jpeg} as base64. */
    public Optional<String> jpeg() {
        return string(JPEG, "jpeg");
    }

    /** {@code image/svg+xml}: the SVG document. */
    public Optional<String> svg() {
        return string(SVG, "svg");
    }

    /** {@code text/latex}. */
    public Optional<String> latex() {
        return string(LATEX, "latex");
    }

    /**
     * {@code application/json}: the JSON value. A value the server sent as a string is parsed when it is JSON text,
     * else returned as a text node.
     */
    public Optional<JsonNode> json() {
        return value(JSON, "json").map(node -> {
            if (node.isTextual()) {
                JsonNode parsed = Json.parseOrNull(node.asText());
                return parsed == null ? node : parsed;
            }
            return node;
        });
    }

    /** A Vega-Lite chart ({@code application/vnd.vegalite.v4+json}, else {@code v5}): always a JSON object. */
    public Optional<JsonNode> vegaLite() {
        for (String key : new String[] {VEGA_LITE_V4, VEGA_LITE_V5, "chart"}) {
            Optional<JsonNode> chart = value(key, null)
                    .map(node -> node.isTextual() ? Json.parseOrNull(node.asText()) : node)
                    .filter(JsonNode::isObject);
            if (chart.isPresent()) {
                return chart;
            }
        }
        return Optional.empty();
    }

    /** The mime types of this item, such as {@code [text/plain, text/html]}. */
    public java.util.Set<String> mimeTypes() {
        return bundle.keySet();
    }

    private Optional<JsonNode> value(String key, String alias) {
        JsonNode node = bundle.get(key);
        if ((node == null || node.isNull()) && alias != null) {
            node = bundle.get(alias);
        }
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    private Optional<String> string(String key, String alias) {
        return value(key, alias).map(node -> node.isTextual() ? node.asText() : node.toString());
    }
}
