package org.openagb.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class Crc32CombineTest {
    static long crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return c.getValue();
    }

    @Test
    void combine_equalsTheCrcOfTheConcatenation() {
        Random rnd = new Random(1);
        byte[] data = new byte[3 << 20];
        rnd.nextBytes(data);
        for (int split : new int[] {0, 1, 7, 1 << 20, (3 << 20) - 1, 3 << 20}) {
            long combined = Crc32Combine.combine(
                    crc(data, 0, split), crc(data, split, data.length - split), data.length - split);
            assertThat(combined).as("split at %d", split).isEqualTo(crc(data, 0, data.length));
        }
    }
}
