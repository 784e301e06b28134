package org.openagb.sandbox;

/**
 * The receiving end of a streamed {@code run_code} cell ({@link Sandbox#runCode(CodeRequest, CodeStream)}): the
 * cell's standard output and error as the kernel produces them, and whether the caller wants the cell stopped.
 *
 * <p>Every method is called on the thread that runs the cell (the caller of {@code runCode}), in the order the kernel
 * reported the output; implementations must return quickly (hand the text to another thread) and must not throw.
 * The text of one stream, concatenated, is what the cell wrote to it, up to the sandbox's output cap (the cut is
 * marked as in the non-streamed result); how it is split into calls is not specified (usually one call per write).
 */
public interface CodeStream {
    /** Text the cell wrote to its standard output. */
    void stdout(String text);

    /** Text the cell wrote to its standard error (tracebacks, and the sandbox's own notes about limits). */
    void stderr(String text);

    /**
     * Polled while the cell runs (about every 50 ms) and while it waits for its kernel: {@code true} stops it the way
     * a timeout does: the kernel is interrupted and keeps its state, or is restarted if it does not stop within 2 s.
     * Once true it must stay true.
     */
    default boolean cancelled() {
        return false;
    }
}
