package org.openagb.sandbox;

/**
 * One running session sandbox: a set of Linux namespaces with the image's root filesystem read-only and the
 * session's own writable roots ({@code /home}, {@code /tmp}, {@code /var/tmp} by default).
 *
 * <p>Thread safe: several commands may run at once. {@link #close()} kills every process of the sandbox but keeps
 * its files, so the server can still upload them; {@link SessionFiles#deleteAll()} removes them.
 */
public interface Sandbox extends AutoCloseable {
    String sessionId();

    /** Host-side access to the session's writable filesystem; valid after {@link #close()} too. */
    SessionFiles files();

    /**
     * Runs a shell command inside the sandbox and waits for the shell to exit (not for background processes it
     * left running). A timeout kills the command's processes and returns exit code 124 with the partial output.
     *
     * @throws SandboxException if the sandbox is not running or the command cannot be started
     */
    CommandResult run(CommandRequest request);

    /** Whether the sandbox's processes are still running. */
    boolean isAlive();

    /** Kills every process in the sandbox; keeps the files. Idempotent. */
    @Override
    void close();
}
