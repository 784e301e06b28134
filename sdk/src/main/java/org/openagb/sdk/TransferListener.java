package org.openagb.sdk;

/**
 * Progress of a {@link FileSystem#upload(java.nio.file.Path, String, TransferListener)} or
 * {@link FileSystem#download(String, java.nio.file.Path, TransferListener)}.
 *
 * <p>Called after every chunk of the HTTP body, on the HTTP client's thread (not the caller's), with non-decreasing
 * {@code bytesDone}; the last call of a successful transfer has {@code bytesDone == bytesTotal} (when the total is
 * known). It must return quickly; an exception it throws is ignored and does not stop the transfer.
 */
@FunctionalInterface
public interface TransferListener {
    /**
     * @param bytesDone bytes sent or received so far
     * @param bytesTotal the size of the file, or -1 if the server did not announce it (download without
     *     Content-Length)
     */
    void progress(long bytesDone, long bytesTotal);
}
