package org.openagb.server.internal.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code token} of a session's {@code linkUrl} (WIRE.md §2, the LinkUrl route): HMAC-SHA256 of the session id under
 * a server secret, so it is never stored, is the same on every call (getSession answers it again), works for that
 * session only, and cannot be guessed from another session's. Checked in constant time. Thread-safe.
 */
public final class LinkTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final byte[] key;

    /** Tokens under {@code key} (at least 32 bytes, kept secret by the caller). */
    public LinkTokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a link token key needs at least 32 bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    /** The token of {@code sessionId}. */
    public String tokenFor(String sessionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return "lt-" + B64.encodeToString(mac.doFinal(("link\0" + sessionId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Whether {@code token} is the token of {@code sessionId} (false for null). */
    public boolean matches(String sessionId, String token) {
        if (sessionId == null || token == null) {
            return false;
        }
        return MessageDigest.isEqual(
                tokenFor(sessionId).getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.UTF_8));
    }
}
