package org.openagb.sdk;

/**
 * The outcome of {@link Command#execute(String)}: success when the command exited with code 0.
 *
 * @param success whether the call succeeded
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage why it failed, or {@code ""}
 * @param output {@code stdout + stderr}
 * @param exitCode the exit code ({@code 124} after a timeout)
 * @param stdout standard output
 * @param stderr standard error
 */
public record CommandResult(
        boolean success,
        String requestId,
        String errorMessage,
        String output,
        int exitCode,
        String stdout,
        String stderr)
        implements ApiResult {
    public CommandResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        output = output == null ? "" : output;
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }
}
