package org.openagb.sync.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHashFactory;

/** xxHash64 (seed 0) of file contents. */
public final class Hashing {
    private static final XXHashFactory FACTORY = XXHashFactory.fastestInstance();

    /** Hash of the empty content. */
    public static final long EMPTY = FACTORY.hash64().hash(new byte[0], 0, 0, 0);

    private Hashing() {}

    public static StreamingXXHash64 newHash() {
        return FACTORY.newStreamingHash64(0);
    }

    public static long hash(byte[] data, int off, int len) {
        return FACTORY.hash64().hash(data, off, len, 0);
    }

    /** Result of hashing a file: its hash and how many bytes were read. */
    public record FileHash(long hash, long length) {}

    /** Streams the file (never following a symlink) and hashes it. */
    public static FileHash hashFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                StreamingXXHash64 h = newHash()) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                h.update(buf, 0, n);
                total += n;
            }
            return new FileHash(h.getValue(), total);
        }
    }

    /** An input stream that hashes and counts what passes through it. */
    public static final class HashingInputStream extends FilterInputStream {
        private final StreamingXXHash64 hash = newHash();
        private long count;

        public HashingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                hash.update(new byte[] {(byte) b}, 0, 1);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                hash.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip is not supported on a hashing stream");
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        public long hash() {
            return hash.getValue();
        }

        public long count() {
            return count;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                hash.close();
            }
        }
    }

    /** Reads through to the end, then throws if the content's hash or length differs from the expected. */
    public static final class VerifyingInputStream extends FilterInputStream {
        private final HashingInputStream hashing;
        private final long expectedHash;
        private final long expectedLength;
        private final String what;

        public VerifyingInputStream(InputStream in, long expectedHash, long expectedLength, String what) {
            this(new HashingInputStream(in), expectedHash, expectedLength, what);
        }

        private VerifyingInputStream(HashingInputStream h, long expectedHash, long expectedLength, String what) {
            super(h);
            this.hashing = h;
            this.expectedHash = expectedHash;
            this.expectedLength = expectedLength;
            this.what = what;
        }

        private int check(int n) throws IOException {
            if (n < 0 && (hashing.hash() != expectedHash || hashing.count() != expectedLength)) {
                throw new IOException("Cannot read " + what + ": stored content does not match its hash or length"
                        + " (the blob is corrupt; re-upload the file)");
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            return check(hashing.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return check(hashing.read(b, off, len));
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip is not supported on a verifying stream");
        }
    }
}
