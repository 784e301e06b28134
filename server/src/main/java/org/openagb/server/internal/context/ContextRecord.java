package org.openagb.server.internal.context;

/** A context row. {@code kind} is {@code user} or {@code file_transfer} (per-session, hidden from listings). */
public record ContextRecord(
        String id,
        String tenant,
        String name,
        String state,
        String kind,
        String ownerSession,
        String uploadMode,
        long generation,
        String manifestKey,
        long createdAt,
        long lastUsedAt) {

    public static final String KIND_USER = "user";
    public static final String KIND_FILE_TRANSFER = "file_transfer";

    public boolean internal() {
        return !KIND_USER.equals(kind);
    }
}
