package org.openagb.sync.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import net.jpountz.xxhash.StreamingXXHash64;

/** Hashes (xxHash64, seed 0) and counts what passes through; does not close the hash's native state early. */
final class HashingOutputStream extends FilterOutputStream {
    private final StreamingXXHash64 hash = Hashing.newHash();
    private long count;

    HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        hash.update(new byte[] {(byte) b}, 0, 1);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        hash.update(b, off, len);
        count += len;
    }

    long hash() {
        return hash.getValue();
    }

    long count() {
        return count;
    }

    /** Releases the hash state; does not close the wrapped stream. */
    void release() {
        hash.close();
    }

    @Override
    public void close() throws IOException {
        flush(); // the wrapped ObjectWriter is committed or aborted by its owner
    }
}
