package org.openagb.server.internal.session;

/**
 * The {@code token} of a session's {@code linkUrl} (the LinkUrl route, docs/links.md): HMAC-SHA256 of the session id
 * under a server secret, so it is never stored, is the same on every call (getSession answers it again), works for
 * that session only, and cannot be guessed from another session's. Checked in constant time. Thread-safe.
 */
public final class LinkTokens {
    private final byte[] key;

    /** Tokens under {@code key} (at least 32 bytes, kept secret by the caller). */
    public LinkTokens(byte[] key) {
        this.key = Hmac.key(key, "link token");
    }

    /** The token of {@code sessionId}. */
    public String tokenFor(String sessionId) {
        return "lt-" + Hmac.of(key, "link\0" + sessionId);
    }

    /** Whether {@code token} is the token of {@code sessionId} (false for null). */
    public boolean matches(String sessionId, String token) {
        return sessionId != null && Hmac.same(tokenFor(sessionId), token);
    }
}
