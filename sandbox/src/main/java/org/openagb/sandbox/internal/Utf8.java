package org.openagb.sandbox.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 helpers for byte-addressed text. */
public final class Utf8 {
    private Utf8() {}

    /** Whether {@code b} is a continuation byte ({@code 10xxxxxx}), i.e. not the first byte of a character. */
    public static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /**
     * The text of every character whose first byte lies in {@code [from, to)} of {@code bytes}; {@code bytes} may
     * extend past {@code to} (up to 3 bytes are looked at to complete the last character). At most 3 leading
     * continuation bytes are skipped and at most 3 are taken past {@code to}, so consecutive chunks never overlap.
     */
    public static String charsStartingIn(byte[] bytes, int from, int to) {
        int start = from;
        while (start < from + 3 && start < bytes.length && isContinuation(bytes[start])) {
            start++;
        }
        if (start >= to) {
            return "";
        }
        int end = Math.min(to, bytes.length);
        int limit = Math.min(bytes.length, to + 3);
        while (end < limit && isContinuation(bytes[end])) {
            end++;
        }
        if (end <= start) {
            return "";
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    /** Decodes {@code bytes}, dropping an incomplete character at the end (left by truncation). */
    public static String decodeTruncated(byte[] bytes) {
        int end = bytes.length;
        int lead = end - 1;
        while (lead >= 0 && end - lead < 4 && isContinuation(bytes[lead])) {
            lead--;
        }
        if (lead >= 0) {
            int b = bytes[lead] & 0xFF;
            int need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            if (end - lead < need) {
                end = lead;
            }
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** Whether {@code bytes} is valid UTF-8. */
    public static boolean isValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
