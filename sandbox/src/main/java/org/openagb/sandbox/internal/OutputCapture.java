package org.openagb.sandbox.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Drains one output stream of a process on its own daemon thread, keeping at most {@code cap} bytes.
 *
 * <p>The thread reads until EOF even after {@link #freeze()}, discarding what it reads, so a background process
 * that inherited the pipe never blocks on a full pipe and never delays the answer.
 */
public final class OutputCapture {
    /** What was captured: the kept bytes and whether more arrived than the cap allowed. */
    public record Snapshot(byte[] bytes, boolean truncated) {}

    private final InputStream in;
    private final int cap;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CountDownLatch eof = new CountDownLatch(1);
    private long total;
    private boolean frozen;

    private OutputCapture(InputStream in, int cap) {
        this.in = in;
        this.cap = cap;
    }

    /** Starts draining {@code in} on a daemon thread called {@code name}. */
    public static OutputCapture start(InputStream in, int cap, String name) {
        OutputCapture capture = new OutputCapture(in, cap);
        Thread thread = new Thread(capture::drain, name);
        thread.setDaemon(true);
        thread.start();
        return capture;
    }

    private void drain() {
        byte[] buffer = new byte[16384];
        try (in) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                synchronized (this) {
                    total += n;
                    if (!frozen) {
                        int room = cap - kept.size();
                        if (room > 0) {
                            kept.write(buffer, 0, Math.min(room, n));
                        }
                    }
                }
            }
        } catch (IOException e) {
            // The stream was closed under us (process killed); what we kept is what there is.
        } finally {
            eof.countDown();
        }
    }

    /** Waits up to {@code millis} for EOF; returns whether it was reached. */
    public boolean awaitEof(long millis) throws InterruptedException {
        return eof.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Stops keeping output and returns what was kept; later output is discarded. */
    public synchronized Snapshot freeze() {
        frozen = true;
        return new Snapshot(kept.toByteArray(), total > kept.size());
    }
}
