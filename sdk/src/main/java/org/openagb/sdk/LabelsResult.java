package org.openagb.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A session's labels, from {@link Session#labels()}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param labels the labels (empty if none or on failure), in server order
 */
public record LabelsResult(boolean success, String requestId, String errorMessage, Map<String, String> labels)
        implements ApiResult {
    public LabelsResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }
}
