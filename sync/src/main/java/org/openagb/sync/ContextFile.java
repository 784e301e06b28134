package org.openagb.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A file of a context opened for reading. The caller closes it. Reading verifies the content hash at the end and
 * throws an {@link IOException} if the stored content is corrupt.
 */
public record ContextFile(ManifestEntry entry, InputStream content) implements AutoCloseable {
    @Override
    public void close() {
        try {
            content.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
