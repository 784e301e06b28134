package org.openagb.storage.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.openagb.storage.ObjectWriter;
import org.openagb.storage.StorageException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The writer of {@link S3ObjectStore#create}: buffers one part; the first full part starts a multipart upload (the
 * next part is sent while this one fills), a commit before that is one PutObject; close without commit aborts.
 */
final class S3MultipartWriter extends ObjectWriter {
    private final S3ObjectStore store;
    private final String key;
    private final String s3Key;
    private byte[] buf;
    private byte[] spare;
    private int pos;
    private long size;
    private boolean done;
    private String uploadId;
    private int partNumber;
    private final List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new ArrayList<>();
    private java.util.concurrent.Future<software.amazon.awssdk.services.s3.model.CompletedPart> inFlight;

    S3MultipartWriter(S3ObjectStore store, String key, String s3Key) {
        this.store = store;
        this.key = key;
        this.s3Key = s3Key;
        this.buf = new byte[Math.min(64 * 1024, store.partSize)];
    }

    private void checkOpen() throws IOException {
        if (done) {
            throw new IOException("Cannot write object '" + key + "': the writer was already committed or aborted");
        }
    }

    @Override
    public void write(int b) throws IOException {
        checkOpen();
        makeRoom();
        buf[pos++] = (byte) b;
        size++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        while (len > 0) {
            makeRoom();
            int n = Math.min(len, buf.length - pos);
            System.arraycopy(b, off, buf, pos, n);
            pos += n;
            off += n;
            len -= n;
            size += n;
        }
    }

    /** Ensures {@code buf} has room for one more byte: grows it up to a part, or sends the full part. */
    private void makeRoom() throws IOException {
        if (pos < buf.length) {
            return;
        }
        if (buf.length < store.partSize) {
            buf = java.util.Arrays.copyOf(buf, (int) Math.min(store.partSize, 2L * buf.length));
            return;
        }
        try {
            sendPart();
        } catch (RuntimeException | IOException e) {
            abort();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /** Sends {@code buf[0, pos)} as the next part in the background; waits for the previous part first. */
    private void sendPart() throws IOException {
        if (uploadId == null) {
            try {
                uploadId = store.s3
                        .createMultipartUpload(b -> b.bucket(store.bucket).key(s3Key))
                        .uploadId();
            } catch (SdkException e) {
                throw new IOException(
                        store.failure("Cannot create object '" + key + "'", e).getMessage(), e);
            }
        }
        awaitInFlight();
        if (partNumber >= S3ObjectStore.MAX_PARTS) {
            throw new IOException("Cannot create object '" + key + "': it exceeds " + S3ObjectStore.MAX_PARTS
                    + " parts of " + store.partSize + " bytes (store smaller objects)");
        }
        int number = ++partNumber;
        byte[] data = buf;
        int length = pos;
        String id = uploadId;
        inFlight = store.partUploads.submit(() -> {
            String etag = store.s3
                    .uploadPart(
                            b -> b.bucket(store.bucket)
                                    .key(s3Key)
                                    .uploadId(id)
                                    .partNumber(number)
                                    .contentLength((long) length),
                            S3ObjectStore.bodyOf(data, length))
                    .eTag();
            return software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                    .partNumber(number)
                    .eTag(etag)
                    .build();
        });
        buf = spare != null ? spare : new byte[store.partSize];
        spare = data; // reused only after awaitInFlight() confirmed this part was sent
        pos = 0;
    }

    private void awaitInFlight() throws IOException {
        if (inFlight == null) {
            return;
        }
        try {
            parts.add(inFlight.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Cannot create object '" + key + "': interrupted while uploading a part", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            String msg = cause instanceof SdkException sdk
                    ? store.failure("Cannot create object '" + key + "'", sdk).getMessage()
                    : "Cannot create object '" + key + "': uploading part " + (parts.size() + 1) + " failed: " + cause;
            throw new IOException(msg, cause);
        } finally {
            inFlight = null;
        }
    }

    @Override
    public void flush() throws IOException {
        checkOpen(); // S3 has no partial parts: data is sent a part at a time and on commit
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void commit() {
        if (done) {
            throw new StorageException("Cannot commit object '" + key
                    + "': the writer was already committed or aborted (call commit() once)");
        }
        if (uploadId == null) {
            done = true;
            byte[] data = buf;
            release();
            store.putBytes("put", key, s3Key, data, pos);
            return;
        }
        try {
            if (pos > 0) {
                sendPart();
            }
            awaitInFlight();
            store.s3.completeMultipartUpload(
                    b -> b.bucket(store.bucket).key(s3Key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            done = true;
            release();
        } catch (IOException e) {
            abort();
            throw new StorageException(e.getMessage(), e);
        } catch (SdkException e) {
            abort();
            throw store.failure("Cannot put object '" + key + "'", e);
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public void abort() {
        if (done) {
            return;
        }
        done = true;
        if (inFlight != null) {
            try {
                inFlight.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception ignored) {
                // the upload is aborted below anyway
            }
            inFlight = null;
        }
        release();
        if (uploadId != null) {
            try {
                store.s3.abortMultipartUpload(
                        b -> b.bucket(store.bucket).key(s3Key).uploadId(uploadId));
            } catch (RuntimeException e) {
                S3ObjectStore.log.warn(
                        "event=store.s3.abort.failed key={} uploadId={} error={}"
                                + " (a store.bucket lifecycle rule for incomplete multipart uploads removes it)",
                        key,
                        uploadId,
                        e.toString());
            }
        }
    }

    private void release() {
        buf = new byte[0];
        spare = null;
    }
}
