package org.openagb.server.internal.session;

/**
 * A session row. {@code status}: {@code RUNNING}, {@code DELETING} (release in progress, durable), or
 * {@code RELEASED}. {@code labels} is a JSON object string, {@code mounts} a JSON array string of
 * {@code {contextId, path, policy}}.
 */
public record SessionRecord(
        String id,
        String tenant,
        String imageId,
        String status,
        String labels,
        String mounts,
        String mcpPolicyId,
        long idleTimeoutMs,
        long createdAt,
        Long releasedAt) {

    public static final String RUNNING = "RUNNING";
    public static final String DELETING = "DELETING";
    public static final String RELEASED = "RELEASED";
}
