package org.openagb.sync.internal;

import java.util.ArrayList;
import java.util.List;
import org.openagb.sync.ManifestEntry;

/**
 * Groups a download's files, in manifest order, into read tasks: consecutive small files stored back to back in the
 * same pack object (gaps up to {@link #MAX_GAP} allowed) become one batch read with one ranged get; a big file is a
 * task of its own. Pure: it decides, the {@link Sink} does the IO. Not thread-safe (one download's planning thread).
 */
final class ReadBatcher {
    /** Blobs up to this size are read into memory and batched; bigger ones are streamed on their own. */
    static final long SMALL_MAX = 1 << 20;
    /** A batch is closed once it spans this many bytes... */
    static final long BATCH_BYTES = 4 << 20;
    /** ...or holds this many files. */
    static final int BATCH_FILES = 256;
    /** Bytes of a pack between two batched entries that are read and skipped rather than starting a new batch. */
    static final long MAX_GAP = 256 << 10;

    /**
     * Files whose contents lie in {@code [start, end)} of object {@code key}, in order; {@code key} is null for a
     * batch of empty files only.
     */
    record Batch(List<DownloadJob> jobs, String key, long start, long end) {}

    /** Where the planned tasks go. */
    interface Sink {
        void batch(Batch batch);

        void single(DownloadJob big);
    }

    private final Sink sink;
    private List<DownloadJob> jobs;
    private String key;
    private long start;
    private long end;

    ReadBatcher(Sink sink) {
        this.sink = sink;
    }

    /** Adds a file to the current batch, or hands it to the sink alone if it is big; closes a batch it breaks. */
    void add(DownloadJob job) {
        ManifestEntry e = job.entry();
        if (e.blob() != null && e.blob().length() > SMALL_MAX) {
            flush();
            sink.single(job);
            return;
        }
        if (jobs != null && e.blob() != null && key != null) {
            long off = e.blob().offset();
            if (!key.equals(e.blob().objectKey()) || off < end || off - end > MAX_GAP || end - start >= BATCH_BYTES) {
                flush();
            }
        }
        if (jobs == null) {
            jobs = new ArrayList<>();
            key = null;
        }
        if (e.blob() != null) {
            if (key == null) {
                key = e.blob().objectKey();
                start = e.blob().offset();
            }
            end = e.blob().offset() + e.blob().length();
        }
        jobs.add(job);
        if (jobs.size() >= BATCH_FILES) {
            flush();
        }
    }

    /** Hands the open batch, if any, to the sink. */
    void flush() {
        if (jobs != null) {
            Batch b = new Batch(List.copyOf(jobs), key, key == null ? 0 : start, key == null ? 0 : end);
            jobs = null;
            key = null;
            sink.batch(b);
        }
    }
}
