package org.openagb.server.internal.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 as unpadded base64url text, and its constant-time check: the tokens of links. */
final class Hmac {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Hmac() {}

    static String of(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return B64.encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Whether {@code given} equals {@code expected}, in time independent of where they differ. */
    static boolean same(String expected, String given) {
        return given != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** A key of at least 32 bytes, copied. */
    static byte[] key(byte[] key, String what) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a " + what + " key needs at least 32 bytes, got " + key.length);
        }
        return key.clone();
    }
}
