package org.openagb.sdk;

import java.time.Duration;
import org.openagb.sdk.internal.ApiClient;

/**
 * Test-only access to a {@link Session} by id with any API key, without asking the server first: lets a test make
 * tool calls on a session id the key may not own (where {@link AGB#get(String)} would already refuse).
 */
public final class SessionAccess {
    private SessionAccess() {}

    public static Session foreign(String endpoint, String apiKey, String sessionId) {
        return new Session(
                new ApiClient(endpoint, apiKey, Duration.ofSeconds(60), Duration.ofMillis(50)),
                sessionId,
                "",
                "",
                "",
                "");
    }
}
