package org.openagb.sdk;

/**
 * Paging of {@link ContextService#list(ContextListParams)}.
 *
 * @param maxResults page size, at least 1 (SDK default 10)
 * @param nextToken the token of the page to read, or {@code null} for the first page
 * @throws IllegalArgumentException if {@code maxResults < 1}
 */
public record ContextListParams(int maxResults, String nextToken) {
    public ContextListParams {
        if (maxResults < 1) {
            throw new IllegalArgumentException("Cannot list contexts with maxResults '" + maxResults
                    + "': it must be at least 1 (use 10, the SDK default)");
        }
    }

    /** The first page of 10. */
    public static ContextListParams defaults() {
        return new ContextListParams(10, null);
    }
}
