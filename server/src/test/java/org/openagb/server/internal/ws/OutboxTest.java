package org.openagb.server.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The connection's outbox with a sink written for the test: ordering, merging, splitting and its cap. */
class OutboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Holds each message until the test completes it, like a client that reads when told to. */
    static final class HeldSink implements Outbox.Sink {
        final List<String> sent = new ArrayList<>();
        final List<Runnable> pending = new ArrayList<>();

        @Override
        public synchronized void send(String text, Runnable done, Consumer<Throwable> failed) {
            sent.add(text);
            pending.add(done);
        }

        void completeAll() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    if (pending.isEmpty()) {
                        return;
                    }
                    next = pending.remove(0);
                }
                next.run();
            }
        }

        List<JsonNode> frames() throws Exception {
            List<JsonNode> out = new ArrayList<>();
            for (String text : sent) {
                out.add(JSON.readTree(text));
            }
            return out;
        }
    }

    @Test
    void chunksWaitingBehindASend_areMergedPerInvocationAndStream_inOrder() throws Exception {
        HeldSink sink = new HeldSink();
        Outbox outbox = new Outbox(sink, 1 << 20, e -> {});
        outbox.offerChunk("a", "src", "stdout", "1\n"); // goes on the wire at once
        outbox.offerChunk("a", "src", "stdout", "2\n");
        outbox.offerChunk("a", "src", "stdout", "3\n");
        outbox.offerChunk("a", "src", "stderr", "e\n");
        outbox.offerChunk("a", "src", "stdout", "4\n");
        outbox.offerFrame("a", "src", WsFrames.error("X", "y"));
        sink.completeAll();

        List<JsonNode> frames = sink.frames();
        assertThat(frames)
                .extracting(f -> f.path("data").path("chunk").asText())
                .containsExactly("1\n", "2\n3\n", "e\n", "4\n", "");
        assertThat(frames)
                .extracting(f -> f.path("data").path("eventType").asText())
                .containsExactly("stdout", "stdout", "stderr", "stdout", "");
        assertThat(frames.get(4).path("data").path("error").asText()).isEqualTo("y");
        assertThat(frames.get(0).path("invocationId").asText()).isEqualTo("a");
        assertThat(frames.get(0).path("source").asText()).isEqualTo("src");
        assertThat(frames.get(0).path("target").asText()).isEqualTo("SDK");
    }

    @Test
    void longText_isSplitIntoFramesOfAtMostTheChunkSize_withoutBreakingASurrogatePair() throws Exception {
        HeldSink sink = new HeldSink();
        Outbox outbox = new Outbox(sink, 1 << 20, e -> {});
        String text = "x".repeat(Outbox.MAX_CHUNK_CHARS - 1) + "😀" + "y".repeat(100);
        outbox.offerChunk("a", "src", "stdout", text);
        sink.completeAll();

        List<String> chunks = new ArrayList<>();
        for (JsonNode f : sink.frames()) {
            chunks.add(f.path("data").path("chunk").asText());
        }
        assertThat(String.join("", chunks)).isEqualTo(text);
        assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(Outbox.MAX_CHUNK_CHARS));
        assertThat(chunks.get(0)).doesNotEndWith("\uD83D");
    }

    @Test
    void pastTheCap_offersAreRefused_andNothingIsAdded() {
        HeldSink sink = new HeldSink();
        Outbox outbox = new Outbox(sink, 100, e -> {});
        assertThat(outbox.offerChunk("a", "src", "stdout", "on the wire")).isTrue();
        assertThat(outbox.offerChunk("a", "src", "stdout", "x".repeat(60))).isTrue();
        assertThat(outbox.offerChunk("a", "src", "stdout", "x".repeat(60))).isFalse();
        assertThat(outbox.buffered()).isEqualTo(60);
        assertThat(sink.sent).hasSize(1);
    }

    @Test
    void aSinkThatCompletesAtOnce_sendsEverythingWithoutRecursion() {
        List<String> sent = new ArrayList<>();
        Outbox outbox = new Outbox(
                (text, done, failed) -> {
                    sent.add(text);
                    done.run();
                },
                1 << 20,
                e -> {});
        for (int i = 0; i < 50_000; i++) {
            outbox.offerFrame("a", "src", WsFrames.error("X", "m" + i));
        }
        assertThat(sent).hasSize(50_000);
        assertThat(outbox.buffered()).isZero();
    }

    @Test
    void aFailedSend_closesTheOutboxAndReportsOnce() {
        List<Throwable> failures = new ArrayList<>();
        Outbox outbox = new Outbox(
                (text, done, failed) -> failed.accept(new IllegalStateException("gone")), 1 << 20, failures::add);
        outbox.offerChunk("a", "src", "stdout", "x");
        assertThat(outbox.offerChunk("a", "src", "stdout", "y")).isFalse();
        assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessage("gone"));
    }
}
