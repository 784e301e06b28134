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
 *     object store, other sessions); {@code null} to hide nothing. Only the image's root is visible anyway; this
 *     matters when the directory lies inside it.
 * @param imageRoot the image's read-only root filesystem: {@code /} for the embedded default (a view of the host's
 *     system directories only, see docs/images.md), else an image's unpacked root
 */
public record SandboxSpec(String sessionId, Path sessionDir, Path hiddenDir, Path imageRoot) {
    public SandboxSpec {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionDir, "sessionDir");
        if (sessionId.isBlank()) {
            throw new IllegalArgumentException("sessionId must not be blank");
        }
        sessionDir = sessionDir.toAbsolutePath().normalize();
        hiddenDir = hiddenDir == null ? null : hiddenDir.toAbsolutePath().normalize();
        imageRoot =
                imageRoot == null ? Path.of("/") : imageRoot.toAbsolutePath().normalize();
    }

    /** A spec on the embedded default image. */
    public SandboxSpec(String sessionId, Path sessionDir, Path hiddenDir) {
        this(sessionId, sessionDir, hiddenDir, null);
    }

    /** A spec that hides nothing. */
    public static SandboxSpec of(String sessionId, Path sessionDir) {
        return new SandboxSpec(sessionId, sessionDir, null);
    }
}
