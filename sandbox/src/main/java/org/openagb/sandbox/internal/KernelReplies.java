package org.openagb.sandbox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openagb.sandbox.CodeStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply channel of a {@link Kernel}: frames {@code <byte length>\n<UTF-8 JSON>} read by a daemon thread into a
 * queue, and waited for by request id. A frame with a {@code stream} member ({@code {"id", "stream":
 * "stdout"|"stderr", "text"}}) is output of a streamed request, handed to its {@link CodeStream}; any other frame with
 * an id is a request's reply. Frames of other requests than the awaited one are stale and dropped.
 *
 * <p>Thread safety: the reader thread only appends; one thread at a time waits (the kernel's caller, which the
 * sandbox serialises).
 */
final class KernelReplies {
    private static final Logger log = LoggerFactory.getLogger(KernelReplies.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode EOF = MissingNode.getInstance();
    private static final int MAX_FRAME = 256 * 1024 * 1024;
    /** How often a wait looks at {@link CodeStream#cancelled()}. */
    private static final long CANCEL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** What waiting for a reply ended with. */
    sealed interface Outcome permits Reply, Exited, TimedOut, Cancelled {}

    /** The request's reply frame. */
    record Reply(JsonNode frame) implements Outcome {}

    /** The kernel closed its channel (it exited). */
    record Exited() implements Outcome {}

    /** The wait's timeout passed first. */
    record TimedOut() implements Outcome {}

    /** The stream said {@link CodeStream#cancelled()} first. */
    record Cancelled() implements Outcome {}

    private final String description;
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();

    /** Starts reading {@code raw} on a daemon thread named {@code threadName}. */
    KernelReplies(InputStream raw, String threadName, String description) {
        this.description = description;
        Thread reader = new Thread(() -> read(raw), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    /** The first frame (the kernel's ready frame), {@code null} on timeout, or a missing node if the kernel exited. */
    JsonNode first(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits for the reply to request {@code id}, handing its stream frames to {@code stream} (may be {@code null}).
     *
     * @param cancellable whether {@code stream}'s {@link CodeStream#cancelled()} ends the wait
     */
    Outcome await(long id, Duration timeout, CodeStream stream, boolean cancellable) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean pollCancel = cancellable && stream != null;
        while (true) {
            if (pollCancel && stream.cancelled()) {
                return new Cancelled();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new TimedOut();
            }
            JsonNode frame = frames.poll(pollCancel ? Math.min(left, CANCEL_POLL_NANOS) : left, TimeUnit.NANOSECONDS);
            if (frame == null) {
                continue;
            }
            if (frame.isMissingNode()) {
                frames.offer(EOF); // every later wait sees it too
                return new Exited();
            }
            if (frame.path("id").asLong(-1) != id) {
                log.debug("Dropping stale {} frame {}", description, frame.path("id"));
                continue;
            }
            if (!frame.has("stream")) {
                return new Reply(frame);
            }
            if (stream != null) {
                String text = frame.path("text").asText("");
                if ("stderr".equals(frame.path("stream").asText())) {
                    stream.stderr(text);
                } else {
                    stream.stdout(text);
                }
            }
        }
    }

    private void read(InputStream raw) {
        try (InputStream in = new BufferedInputStream(raw)) {
            while (true) {
                ByteArrayOutputStream header = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    if (header.size() > 20 || b < '0' || b > '9') {
                        throw new IOException("bad frame header from the kernel");
                    }
                    header.write(b);
                }
                if (b == -1) {
                    return;
                }
                long length = Long.parseLong(header.toString(StandardCharsets.US_ASCII));
                if (length > MAX_FRAME) {
                    throw new IOException("kernel frame too large: " + length + " bytes");
                }
                byte[] body = in.readNBytes((int) length);
                if (body.length < length) {
                    return;
                }
                frames.offer(JSON.readTree(body));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("{} protocol ended: {}", description, e.toString());
        } finally {
            frames.offer(EOF);
        }
    }
}
