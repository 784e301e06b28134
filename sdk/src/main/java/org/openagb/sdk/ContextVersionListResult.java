package org.openagb.sdk;

import java.util.List;

/**
 * One page of a context's kept versions, newest first, from {@link ContextService#listVersions(String, int, String)}.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param versions the versions of this page
 * @param nextToken pass it to get the next page; {@code ""} on the last page
 * @param totalCount how many versions the context keeps (all pages)
 */
public record ContextVersionListResult(
        boolean success,
        String requestId,
        String errorMessage,
        List<ContextVersion> versions,
        String nextToken,
        int totalCount)
        implements ApiResult {
    public ContextVersionListResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        versions = versions == null ? List.of() : List.copyOf(versions);
        nextToken = nextToken == null ? "" : nextToken;
    }

    /** The current version, if this page holds it. */
    public java.util.Optional<ContextVersion> current() {
        return versions.stream().filter(ContextVersion::current).findFirst();
    }
}
