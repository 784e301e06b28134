package org.openagb.server.internal.session;

/**
 * A session row, in a {@link SessionState}. {@code labels} is a JSON object string, {@code mounts} a JSON array string of
 * {@code {contextId, path, policy}}.
 */
public record SessionRecord(
        String id,
        String tenant,
        String imageId,
        SessionState status,
        String labels,
        String mounts,
        String mcpPolicyId,
        long idleTimeoutMs,
        long createdAt,
        Long releasedAt) {}
