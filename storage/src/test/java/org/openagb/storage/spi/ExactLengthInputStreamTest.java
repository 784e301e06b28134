package org.openagb.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ExactLengthInputStreamTest {
    @Test
    void exactLength_yieldsEveryByte() throws IOException {
        var in = new ExactLengthInputStream("k", new ByteArrayInputStream(new byte[10]), 10);
        assertThat(in.readAllBytes()).hasSize(10);
        assertThat(in.consumed()).isEqualTo(10);
        assertThat(in.failure()).isNull();
    }

    @Test
    void shorterOrLongerStream_failsStickilyNamingTheKeyAndBothLengths() {
        var shorter = new ExactLengthInputStream("blobs/a", new ByteArrayInputStream(new byte[4]), 10);
        assertThatThrownBy(shorter::readAllBytes)
                .isInstanceOf(IOException.class)
                .hasMessage("Cannot put object 'blobs/a': the stream held 4 bytes but length was 10 (pass the exact"
                        + " length of the data)");
        assertThatThrownBy(shorter::read).hasMessageContaining("held 4 bytes");

        var longer = new ExactLengthInputStream("blobs/b", new ByteArrayInputStream(new byte[11]), 10);
        assertThatThrownBy(longer::readAllBytes).hasMessageContaining("the stream held more bytes but length was 10");
        assertThat(longer.failure()).isNotNull();
    }
}
