package org.openagb.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Code to run in the session's stateful kernel of {@code language} ({@code run_code}, WIRE.md §5.3).
 *
 * @param language one of {@link #LANGUAGES}
 * @param code the cell: statements, the last of which may be an expression whose value is the main result
 * @param timeout how long the cell may run before the kernel is interrupted (and restarted if it does not stop)
 */
public record CodeRequest(String language, String code, Duration timeout) {
    /** The languages {@code run_code} accepts, in a stable order. */
    public static final List<String> LANGUAGES = List.of("python", "javascript", "java", "r");

    public CodeRequest {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(timeout, "timeout");
        if (!LANGUAGES.contains(language)) {
            throw new IllegalArgumentException(
                    "language '" + language + "' is not supported (supported: " + String.join(", ", LANGUAGES) + ")");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout (" + timeout + ") must be > 0");
        }
    }
}
