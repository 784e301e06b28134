package org.openagb.sandbox;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to start: one session's sandbox.
 *
 * @param sessionId the session id; also gives the sandbox's host name
 * @param sessionDir host directory holding the session's writable roots (created if missing; its files survive
 *     {@link Sandbox#close()})
 * @param hiddenDir host directory the sandbox must not see, typically the server's data directory (database,
 *     object store, other sessions); {@code null} to hide nothing
 */
public record SandboxSpec(String sessionId, Path sessionDir, Path hiddenDir) {
    public SandboxSpec {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionDir, "sessionDir");
        if (sessionId.isBlank()) {
            throw new IllegalArgumentException("sessionId must not be blank");
        }
        sessionDir = sessionDir.toAbsolutePath().normalize();
        hiddenDir = hiddenDir == null ? null : hiddenDir.toAbsolutePath().normalize();
    }

    /** A spec that hides nothing. */
    public static SandboxSpec of(String sessionId, Path sessionDir) {
        return new SandboxSpec(sessionId, sessionDir, null);
    }
}
