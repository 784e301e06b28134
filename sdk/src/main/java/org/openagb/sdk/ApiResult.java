package org.openagb.sdk;

/**
 * What every SDK result has. Calls never throw for server or transport failures: they return a result with
 * {@code success() == false} and a non-empty {@link #errorMessage()}.
 */
public interface ApiResult {
    /** Whether the call did what it was asked. */
    boolean success();

    /** The server's request id of the (last) call made, or {@code ""} if none was answered. */
    String requestId();

    /** Why the call failed, or {@code ""} on success. */
    String errorMessage();
}
