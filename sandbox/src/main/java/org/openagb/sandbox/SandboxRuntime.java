package org.openagb.sandbox;

/**
 * Starts session sandboxes. {@link BubblewrapSandboxRuntime} is the real implementation.
 *
 * <p>Implementations are thread safe.
 */
public interface SandboxRuntime {
    /**
     * Starts the sandbox of one session. The caller owns the result and must {@link Sandbox#close() close} it.
     *
     * @throws SandboxException if the sandbox cannot be started; the message says why
     */
    Sandbox start(SandboxSpec spec);

    /**
     * Keeps {@code count} sandboxes of the embedded image started ahead of time under {@code sessionsRoot}, so that
     * {@link #start} of a session whose directory {@code <sessionsRoot>/<id>/fs} does not exist yet takes one (it is
     * renamed to the session's directory and given its host name) instead of waiting for a new one. Removes what a
     * killed process left of an earlier pool there. The default does nothing.
     *
     * @param hiddenDir as {@link SandboxSpec#hiddenDir()}
     */
    default void warmUp(java.nio.file.Path sessionsRoot, java.nio.file.Path hiddenDir, int count) {}

    /** Stops the sandboxes kept ahead of time and deletes their directories. The default does nothing. */
    default void close() {}
}
