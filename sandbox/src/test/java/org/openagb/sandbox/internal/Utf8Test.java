package org.openagb.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Utf8Test {
    @Test
    void decodeTruncated_dropsIncompleteLastCharacterOnly() {
        byte[] bytes = "a€".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.decodeTruncated(bytes)).isEqualTo("a€");
        assertThat(Utf8.decodeTruncated(Arrays.copyOf(bytes, 3))).isEqualTo("a");
        assertThat(Utf8.decodeTruncated(Arrays.copyOf(bytes, 2))).isEqualTo("a");
        assertThat(Utf8.decodeTruncated(new byte[0])).isEmpty();
    }

    @Test
    void charsStartingIn_takesCharactersWhoseFirstByteIsInRange() {
        byte[] bytes = "é€".getBytes(StandardCharsets.UTF_8); // c3 a9 e2 82 ac
        assertThat(Utf8.charsStartingIn(bytes, 0, 1)).isEqualTo("é");
        assertThat(Utf8.charsStartingIn(bytes, 1, 2)).isEmpty();
        assertThat(Utf8.charsStartingIn(bytes, 1, 3)).isEqualTo("€");
    }
}
