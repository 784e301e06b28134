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

    /**
     * Runs a cell in the session's kernel of {@code request.language()}, started inside the sandbox on first use and
     * kept (with its state) until the sandbox closes. Calls to one kernel run one at a time. A runtime error, a
     * timeout or a kernel that died while running the cell are reported in {@link CodeResult#executionError()}.
     *
     * <p>Python uses IPython when the chosen interpreter has it (rich display output, matplotlib figures as PNG when
     * matplotlib is installed); without IPython the kernel falls back to plain exec/eval: the last expression is
     * still the main result ({@code text/plain} plus any {@code _repr_*_} mime types) and a built-in
     * {@code display(obj, raw=False)} gives display results, but there are no magics and no IPython display classes.
     * JavaScript runs in one persistent Node {@code vm} context. Java runs in one {@code jdk.jshell} JShell (local
     * execution engine) in a JVM of the sandbox's JDK: variables, imports, methods and classes persist; the value of
     * a final expression is the main result; exceptions are {@code <class name>: <message>} and compile errors
     * {@code CompilationError: <diagnostic>}. R runs a base-R kernel under {@code Rscript}: visible values are printed as
     * the console prints them.
     *
     * @throws SandboxException if the sandbox is not running or the kernel cannot be started (e.g. the image lacks
     *     the runtime); the message names the runtime and what to install
     */
    default CodeResult runCode(CodeRequest request) {
        throw new SandboxException("run_code is not supported by " + getClass().getSimpleName());
    }

    /**
     * {@link #runCode(CodeRequest)}, streaming the cell's output to {@code stream} as the kernel produces it, and
     * stopping the cell when {@link CodeStream#cancelled()} turns true (while it waits for its kernel, too). The
     * result is the same as the non-streamed call's; a cancelled cell's {@link CodeResult#executionError()} starts
     * with {@code CancelledError:} and says whether the kernel kept its state.
     *
     * @throws SandboxException as {@link #runCode(CodeRequest)}
     */
    default CodeResult runCode(CodeRequest request, CodeStream stream) {
        throw new SandboxException(
                "streamed run_code is not supported by " + getClass().getSimpleName());
    }

    /**
     * Refuses a file write when the session is over its disk quota ({@link SessionLimits#diskBytes()}), or would be
     * after {@code bytes} more. The check is soft: it uses the last measurement of the session's files.
     *
     * @param verb what the caller does, for the message ({@code write}, {@code edit}, {@code create directory})
     * @param path the in-session path, for the message
     * @throws SandboxException {@code Cannot <verb> '<path>': the session uses X of its Y disk quota (delete files or
     *     raise SessionLimits.diskBytes)}
     */
    default void requireDiskSpace(String verb, String path, long bytes) {}

    /** Tells the sandbox that its files changed from the host side (a file tool), so it measures disk usage again. */
    default void filesChanged() {}

    /**
     * Measures what the session uses (CPU over a short sample, memory, disk, network), for the session itself.
     *
     * @throws SandboxException if the sandbox is closed or cannot be measured
     */
    default SessionMetrics metrics() {
        throw new SandboxException(
                "get_metrics is not supported by " + getClass().getSimpleName());
    }

    /** The session's {@code get_file_change} snapshots (see {@link FileChanges}). */
    default FileChanges fileChanges() {
        throw new SandboxException(
                "get_file_change is not supported by " + getClass().getSimpleName());
    }

    /**
     * Connects to {@code 127.0.0.1:port} inside the session (its own network namespace), for the server's port links.
     *
     * @throws SandboxException if the sandbox is closed or the relay cannot start
     */
    default PortConnection connect(int port) {
        throw new SandboxException(
                "port links are not supported by " + getClass().getSimpleName());
    }

    /** Whether the sandbox's processes are still running. */
    boolean isAlive();

    /** Kills every process in the sandbox; keeps the files. Idempotent. */
    @Override
    void close();
}
