package org.openagb.sdk;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link Code#run(String, String, int)}. A runtime error of the code (an exception, a syntax error)
 * fails the result with the error as {@link #errorMessage()}; output printed before it is still in {@link #stdout()}.
 *
 * @param success whether the code ran without error
 * @param requestId the server's request id, or {@code ""}
 * @param errorMessage the execution error or why the call failed, or {@code ""}
 * @param results the outputs: the main result and every displayed value, in order
 * @param stdout standard output, in the chunks the kernel emitted them (join them for the whole text)
 * @param stderr standard error, in chunks
 * @param executionCount the kernel's execution counter after this run, or 0 if the server did not say
 * @param executionTime how long the code ran, in seconds, or 0 if the server did not say
 */
public record CodeRunResult(
        boolean success,
        String requestId,
        String errorMessage,
        List<CodeResultItem> results,
        List<String> stdout,
        List<String> stderr,
        int executionCount,
        double executionTime)
        implements ApiResult {
    public CodeRunResult {
        requestId = requestId == null ? "" : requestId;
        errorMessage = errorMessage == null ? "" : errorMessage;
        results = results == null ? List.of() : List.copyOf(results);
        stdout = stdout == null ? List.of() : List.copyOf(stdout);
        stderr = stderr == null ? List.of() : List.copyOf(stderr);
    }

    static CodeRunResult failed(String requestId, String errorMessage) {
        return new CodeRunResult(false, requestId, errorMessage, List.of(), List.of(), List.of(), 0, 0);
    }

    /** The value of the code's last expression, if it had one. */
    public Optional<CodeResultItem> mainResult() {
        return results.stream().filter(CodeResultItem::isMainResult).findFirst();
    }
}
