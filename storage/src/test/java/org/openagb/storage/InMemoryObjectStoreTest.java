package org.openagb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class InMemoryObjectStoreTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }

    @Test
    void assertNoOpenStreams_failsWhileAStreamIsOpen() throws Exception {
        InMemoryObjectStore mem = new InMemoryObjectStore();
        put(mem, "k");
        InputStream in = mem.get("k");

        assertThatThrownBy(mem::assertNoOpenStreams)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 stream(s)");
        in.close();
        in.close();
        mem.assertNoOpenStreams();
        assertThat(mem.openStreams()).isZero();
    }

    @Test
    void instances_doNotShareState() {
        InMemoryObjectStore a = new InMemoryObjectStore();
        InMemoryObjectStore b = new InMemoryObjectStore();
        put(a, "k");

        assertThat(b.stat("k")).isEmpty();
    }

    private static void put(ObjectStore s, String key) {
        s.put(key, new java.io.ByteArrayInputStream(new byte[] {1, 2}), 2);
    }
}
