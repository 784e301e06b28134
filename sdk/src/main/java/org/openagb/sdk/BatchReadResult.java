package org.openagb.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of several files, from {@link FileSystem#readBatch(java.util.List)}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param contents content per requested path, in response order; trailing newlines are lost (wire format)
 */
public record BatchReadResult(boolean success, String requestId, String errorMessage, Map<String, String> contents)
        implements ApiResult {
    public BatchReadResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        contents = contents == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(contents));
    }
}
