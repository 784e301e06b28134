package org.openagb.sdk;

/**
 * One kept version (generation) of a context, from {@link ContextService#listVersions(String)} (an OpenAGB
 * extension; see {@code docs/versions.md}).
 *
 * @param generation the generation number, from 1
 * @param committedTime ISO-8601 time of its commit as the server sent it
 * @param fileCount regular files it holds
 * @param totalBytes the sum of their sizes
 * @param uploadMode {@code File} or {@code Archive} once the context is locked to a mode, else {@code ""}
 * @param current whether it is the context's current content
 */
public record ContextVersion(
        long generation, String committedTime, long fileCount, long totalBytes, String uploadMode, boolean current) {
    public ContextVersion {
        committedTime = committedTime == null ? "" : committedTime;
        uploadMode = uploadMode == null ? "" : uploadMode;
    }
}
