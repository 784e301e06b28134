package org.openagb.sandbox;

import java.time.Duration;

/**
 * The outcome of {@link Sandbox#run}.
 *
 * @param stdout captured standard output (UTF-8); ends with a truncation note when {@code stdoutTruncated}
 * @param stderr captured standard error; on timeout ends with {@code command timed out after N ms}
 * @param exitCode the shell's exit status, {@code 128+signal} if it was killed, {@link #TIMEOUT_EXIT_CODE} on timeout
 * @param timedOut whether the timeout expired and the command was killed
 * @param stdoutTruncated whether stdout exceeded the output cap
 * @param stderrTruncated whether stderr exceeded the output cap
 * @param elapsed wall time from start to answer
 */
public record CommandResult(
        String stdout,
        String stderr,
        int exitCode,
        boolean timedOut,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        Duration elapsed) {
    /** Exit code reported for a command that was killed because its timeout expired (as coreutils' timeout). */
    public static final int TIMEOUT_EXIT_CODE = 124;

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }
}
