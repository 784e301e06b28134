package org.openagb.server.internal.ws;

/**
 * The per-session token that opens a session's {@code wsUrl}: issued with createSession and getSession (to the API
 * key that owns the session, only), checked at the WebSocket upgrade. Implementations are thread safe and compare in
 * constant time.
 */
public interface WsAuth {
    /** The token of session {@code sessionId}; the same for the session's whole life. */
    String token(String sessionId);

    /** Whether {@code token} is the token of session {@code sessionId}; {@code false} for null or blank. */
    boolean allows(String sessionId, String token);
}
