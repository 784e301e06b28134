package org.openagb.storage.spi;

import java.io.IOException;
import java.io.InputStream;
import org.openagb.storage.StorageException;

/**
 * Yields exactly {@code length} bytes of the caller's stream and fails the read (so the request, so nothing is
 * stored) if the stream ends early or holds more. Failures are sticky: a retry fails the same way.
 */
public final class ExactLengthInputStream extends InputStream {
    private final String key;
    private final InputStream in;
    private final long length;
    private long remaining;
    private StorageException failure;

    public ExactLengthInputStream(String key, InputStream in, long length) {
        this.key = key;
        this.in = in;
        this.length = length;
        this.remaining = length;
    }

    /** Bytes handed over so far. */
    public long consumed() {
        return length - remaining;
    }

    /** Why the stream failed, or {@code null}. */
    public StorageException failure() {
        return failure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw fail(lengthMismatchIn(length - remaining));
        }
        remaining -= n;
        if (remaining == 0 && in.read() != -1) {
            // Fail before the last bytes are handed over, so the request never completes.
            throw fail(lengthMismatchIn(-1));
        }
        return n;
    }

    private StorageException lengthMismatchIn(long held) {
        return lengthMismatch(key, length, held);
    }

    /** {@code Cannot put object '<key>': the stream held N bytes but length was L (pass the exact length…)}. */
    public static StorageException lengthMismatch(String key, long length, long held) {
        return new StorageException("Cannot put object '" + key + "': the stream held "
                + (held >= 0 ? held + " bytes" : "more bytes") + " but length was " + length
                + " (pass the exact length of the data)");
    }

    private IOException fail(StorageException cause) {
        failure = cause;
        return new IOException(cause.getMessage(), cause);
    }

    @Override
    public void close() {
        // the caller's stream is read, not closed
    }
}
