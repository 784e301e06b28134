package org.openagb.server.internal.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * What waits to be sent on one connection: frames in order, one message on the wire at a time. Output chunks of one
 * invocation and stream that follow each other are merged into one frame (up to {@link #MAX_CHUNK_CHARS}), so a
 * cell printing many short lines does not become as many messages; longer text is split.
 *
 * <p>Bounded: {@link #offerChunk} and {@link #offerFrame} answer {@code false}, adding nothing, when the text waiting
 * (besides the message being sent) would pass the cap; the connection then closes. Thread safe.
 */
final class Outbox {
    /**
     * Characters of output per frame: well under the 1 MiB a Python {@code websockets} client accepts per message by
     * default, even when every character is escaped.
     */
    static final int MAX_CHUNK_CHARS = 16 * 1024;

    /** Where messages go: {@code send} calls {@code sent} or {@code failed} once the message is written or not. */
    interface Sink {
        void send(String text, Runnable sent, Consumer<Throwable> failed);
    }

    private sealed interface Item permits Chunk, Frame {
        long size();

        String render();
    }

    private record Frame(String text) implements Item {
        @Override
        public long size() {
            return text.length();
        }

        @Override
        public String render() {
            return text;
        }
    }

    private static final class Chunk implements Item {
        final String invocationId;
        final String source;
        final String stream;
        final StringBuilder text = new StringBuilder();

        Chunk(String invocationId, String source, String stream) {
            this.invocationId = invocationId;
            this.source = source;
            this.stream = stream;
        }

        boolean continues(String invocation, String name) {
            return invocationId.equals(invocation) && stream.equals(name);
        }

        @Override
        public long size() {
            return text.length();
        }

        @Override
        public String render() {
            return WsFrames.envelope(invocationId, source, WsFrames.chunk(stream, text.toString()));
        }
    }

    private final Sink sink;
    private final long maxBufferedChars;
    private final Consumer<Throwable> onFailure;
    private final Deque<Item> queue = new ArrayDeque<>();
    private long buffered;
    private boolean sending;
    private boolean pumping;
    private boolean closed;

    /**
     * @param onFailure called (once per failed message) when the sink could not send; the outbox is closed then
     */
    Outbox(Sink sink, long maxBufferedChars, Consumer<Throwable> onFailure) {
        this.sink = sink;
        this.maxBufferedChars = maxBufferedChars;
        this.onFailure = onFailure;
    }

    /** Queues output text of an invocation; {@code false} if it does not fit (or the outbox is closed). */
    boolean offerChunk(String invocationId, String source, String stream, String text) {
        if (text.isEmpty()) {
            return true;
        }
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (buffered > 0 && buffered + text.length() > maxBufferedChars) {
                return false;
            }
            int from = 0;
            while (from < text.length()) {
                Chunk last = queue.peekLast() instanceof Chunk c && c.continues(invocationId, stream) ? c : null;
                int room = last == null ? 0 : MAX_CHUNK_CHARS - last.text.length();
                if (room == 0 || (room == 1 && startsPair(text, from))) {
                    last = new Chunk(invocationId, source, stream);
                    queue.addLast(last);
                    room = MAX_CHUNK_CHARS;
                }
                int to = Math.min(text.length(), from + room);
                if (to - from > 1 && startsPair(text, to - 1)) {
                    to--; // never split a surrogate pair between two frames
                }
                last.text.append(text, from, to);
                from = to;
            }
            buffered += text.length();
        }
        pump();
        return true;
    }

    /** Queues a whole frame; {@code false} if it does not fit (or the outbox is closed). */
    boolean offerFrame(String invocationId, String source, ObjectNode data) {
        String text = WsFrames.envelope(invocationId, source, data);
        synchronized (this) {
            if (closed || (buffered > 0 && buffered + text.length() > maxBufferedChars)) {
                return false;
            }
            queue.addLast(new Frame(text));
            buffered += text.length();
        }
        pump();
        return true;
    }

    /** Characters waiting, not counting the message being sent. */
    synchronized long buffered() {
        return buffered;
    }

    /** Drops what waits; later offers answer {@code false}. */
    synchronized void close() {
        closed = true;
        queue.clear();
        buffered = 0;
    }

    /** Whether a surrogate pair starts at {@code i} of {@code text}. */
    private static boolean startsPair(String text, int i) {
        return i + 1 < text.length()
                && Character.isHighSurrogate(text.charAt(i))
                && Character.isLowSurrogate(text.charAt(i + 1));
    }

    /**
     * Sends the head of the queue when nothing is on the wire. A sink may call back on the sending thread; the
     * {@code pumping} flag turns that recursion into the loop below.
     */
    private void pump() {
        synchronized (this) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        try {
            while (true) {
                Item item;
                synchronized (this) {
                    if (sending || closed || queue.isEmpty()) {
                        pumping = false;
                        return;
                    }
                    item = queue.pollFirst();
                    buffered -= item.size();
                    sending = true;
                }
                sink.send(item.render(), this::sent, this::failed);
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                pumping = false;
            }
            failed(e);
        }
    }

    private void sent() {
        synchronized (this) {
            sending = false;
        }
        pump();
    }

    private void failed(Throwable error) {
        close();
        synchronized (this) {
            sending = false;
        }
        onFailure.accept(error);
    }
}
