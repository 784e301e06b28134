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
}
