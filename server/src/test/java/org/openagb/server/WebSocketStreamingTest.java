package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streamed {@code run_code} over the session's {@code wsUrl} (docs/websocket.md), against a real server and real
 * sandboxes, with the frames the official SDKs send ({@code code.run(..., stream_beta=True)}, {@code callStream}).
 */
class WebSocketStreamingTest extends ServerTestBase {
    static String session;
    static String wsUrl;
    static String token;

    @BeforeAll
    static void createSession() {
        WireClient.Reply created = wire.createSession(Map.of());
        assertThat(created.success()).as(created.body().toString()).isTrue();
        session = created.data().path("sessionId").asText();
        wsUrl = created.data().path("wsUrl").asText();
        token = created.data().path("token").asText();
    }

    private static String joined(List<WsTestClient.Received> frames, String stream) {
        StringBuilder out = new StringBuilder();
        frames.stream()
                .filter(f -> f.phase().equals("event") && f.eventType().equals(stream))
                .forEach(f -> out.append(f.data().path("chunk").asText()));
        return out.toString();
    }

    private static WsTestClient.Received last(List<WsTestClient.Received> frames) {
        return frames.get(frames.size() - 1);
    }

    @Test
    void createAndGetSession_answerTheSessionsWsUrlAndToken_theSameTokenAsTheLinkUrls() {
        assertThat(wsUrl).isEqualTo("ws://127.0.0.1:" + server.port() + "/ws/" + session);
        assertThat(token).startsWith("lt-").hasSizeGreaterThan(20);
        WireClient.Reply got = wire.post("/mcp/getSession", Map.of(), Map.of("sessionId", session));
        assertThat(got.data().path("wsUrl").asText()).isEqualTo(wsUrl);
        assertThat(got.data().path("token").asText()).isEqualTo(token);
        assertThat(got.data().path("linkUrl").asText())
                .as("one token for linkUrl and wsUrl, as the SDKs send one")
                .isEqualTo(server.baseUrl() + "/link/" + session);
    }

    @Test
    void runCode_printSleepPrint_theFirstChunkArrivesWellBeforeTheEndFrame() {
        try (WsTestClient ws = WsTestClient.connect(wsUrl, token)) {
            ws.runCode(
                    "inv-timing",
                    "python",
                    "import time\nprint('hello', flush=True)\ntime.sleep(1.0)\nprint(2, flush=True)\n");
            List<WsTestClient.Received> frames = ws.untilEnd("inv-timing", 60);

            WsTestClient.Received hello = frames.stream()
                    .filter(f -> f.data().path("chunk").asText().contains("hello"))
                    .findFirst()
                    .orElseThrow();
            WsTestClient.Received end = last(frames);
            assertThat(end.phase()).isEqualTo("end");
            assertThat(end.data().path("status").asText()).isEqualTo("completed");
            assertThat(TimeUnit.NANOSECONDS.toMillis(end.atNanos() - hello.atNanos()))
                    .isGreaterThanOrEqualTo(800);
            assertThat(hello.frame().path("source").asText()).isEqualTo("wuying_codespace");
            assertThat(hello.frame().path("target").asText()).isEqualTo("SDK");
            assertThat(joined(frames, "stdout")).isEqualTo("hello\n2\n");
        }
    }

    @Test
    void runCode_streamedFramesAddUpToTheNonStreamedResult_withStderrSeparate() throws Exception {
        String code = "import sys\nprint('out line')\nprint('err line', file=sys.stderr)\n"
                + "from IPython.display import display, HTML\ndisplay(HTML('<b>x</b>'))\n6 * 7";
        JsonNode plain = WsTestClient.JSON.readTree(
                wire.tool(session, "run_code", Map.of("code", code, "language", "python", "timeout_s", 60))
                        .toolText());
        List<WsTestClient.Received> frames;
        try (WsTestClient ws = WsTestClient.connect(wsUrl, token)) {
            ws.runCode("inv-format", "python", code);
            frames = ws.untilEnd("inv-format", 60);
        }

        assertThat(joined(frames, "stdout")).isEqualTo(String.join("", texts(plain.path("stdout"))));
        assertThat(joined(frames, "stderr")).isEqualTo(String.join("", texts(plain.path("stderr"))));
        assertThat(joined(frames, "stderr")).isEqualTo("err line\n");
        List<JsonNode> results = frames.stream()
                .filter(f -> f.eventType().equals("result"))
                .map(f -> f.data().path("result"))
                .toList();
        assertThat(results).hasSameSizeAs(plain.path("result"));
        for (int i = 0; i < results.size(); i++) {
            JsonNode bundle = plain.path("result").get(i).deepCopy();
            boolean main = bundle.path("isMainResult").asBoolean();
            ((com.fasterxml.jackson.databind.node.ObjectNode) bundle).remove("isMainResult");
            assertThat(results.get(i).path("isMainResult").asBoolean()).isEqualTo(main);
            assertThat(results.get(i).path("mime")).isEqualTo(bundle);
        }
        assertThat(results.get(results.size() - 1)
                        .path("mime")
                        .path("text/plain")
                        .asText())
                .isEqualTo("42");
        JsonNode end = last(frames).data();
        assertThat(end.path("executionError").asText())
                .isEqualTo(plain.path("executionError").asText());
        assertThat(end.path("executionCount").asInt())
                .as("the same kernel, one cell later")
                .isEqualTo(plain.path("execution_count").asInt() + 1);
        assertThat(end.path("executionTime").asDouble()).isPositive();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void runCode_runtimeError_endsFailedWithTheExecutionErrorOfTheNonStreamedFormat() {
        try (WsTestClient ws = WsTestClient.connect(wsUrl, token)) {
            ws.runCode("inv-error", "python", "print('before')\nundefined_name");
            List<WsTestClient.Received> frames = ws.untilEnd("inv-error", 60);

            JsonNode end = last(frames).data();
            assertThat(end.path("phase").asText()).isEqualTo("end");
            assertThat(end.path("status").asText()).isEqualTo("failed");
            assertThat(end.path("executionError").asText())
                    .isEqualTo("NameError: name 'undefined_name' is not defined");
            assertThat(joined(frames, "stderr")).contains("NameError");
        }
    }

    @Test
    void cancelFrame_abortsAWhileTrueLoop_theKernelKeepsItsStateAndTheNextRunWorks() {
        try (WsTestClient ws = WsTestClient.connect(wsUrl, token)) {
            ws.runCode("inv-state", "python", "survivor = 'kept'");
            ws.untilEnd("inv-state", 60);
            ws.runCode("inv-loop", "python", "print('spinning', flush=True)\nwhile True:\n    pass");
            assertThat(ws.next(30).data().path("chunk").asText()).isEqualTo("spinning\n");
            long cancelled = System.nanoTime();
            ws.cancel("inv-loop");
            List<WsTestClient.Received> frames = ws.untilEnd("inv-loop", 10);

            JsonNode end = last(frames).data();
            assertThat(TimeUnit.NANOSECONDS.toMillis(last(frames).atNanos() - cancelled))
                    .isLessThan(3_000);
            assertThat(end.path("status").asText()).isEqualTo("cancelled");
            assertThat(end.path("executionError").asText())
                    .isEqualTo("CancelledError: the run was cancelled; the kernel was interrupted and keeps its state");

            ws.runCode("inv-after", "python", "survivor");
            List<WsTestClient.Received> after = ws.untilEnd("inv-after", 30);
            assertThat(last(after).data().path("status").asText()).isEqualTo("completed");
            assertThat(after.get(0)
                            .data()
                            .path("result")
                            .path("mime")
                            .path("text/plain")
                            .asText())
                    .isEqualTo("'kept'");
        }
    }

    @Test
    void closingTheSocket_cancelsItsRunningCell_soTheKernelIsFreeForTheNextCall() {
        try (WsTestClient ws = WsTestClient.connect(wsUrl, token)) {
            ws.runCode("inv-abandoned", "python", "import time\nprint('sleeping', flush=True)\ntime.sleep(120)");
            assertThat(ws.next(30).data().path("chunk").asText()).isEqualTo("sleeping\n");
        }
        long closed = System.nanoTime();
        WireClient.Reply next = wire.tool(session, "run_code", Map.of("code", "'free'", "language", "python"));
        assertThat(next.toolText()).contains("'free'");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed)).isLessThan(10_000);
    }

    @Test
    void javascriptAndJava_streamToo() {
        try (WsTestClient ws = WsTestClient.connect(wsUrl, token)) {
            ws.runCode("inv-js", "js", "console.log('from node'); 1 + 2");
            List<WsTestClient.Received> js = ws.untilEnd("inv-js", 60);
            assertThat(joined(js, "stdout")).isEqualTo("from node\n");
            assertThat(last(js).data().path("status").asText()).isEqualTo("completed");

            ws.runCode("inv-java", "java", "System.out.println(\"from jshell\");\n40 + 2");
            List<WsTestClient.Received> java = ws.untilEnd("inv-java", 90);
            assertThat(joined(java, "stdout")).isEqualTo("from jshell\n");
            assertThat(java.stream().filter(f -> f.eventType().equals("result")))
                    .singleElement()
                    .satisfies(r -> assertThat(r.data()
                                    .path("result")
                                    .path("mime")
                                    .path("text/plain")
                                    .asText())
                            .isEqualTo("42"));
        }
    }

    @Test
    void badFrames_getErrorFramesNamingTheProblem_andTheConnectionStaysUsable() {
        try (WsTestClient ws = WsTestClient.connect(wsUrl, token)) {
            ws.send("not json");
            assertThat(ws.next(5).data().path("error").asText()).startsWith("The frame is not JSON");
            ws.send("{\"data\":{}}");
            assertThat(ws.next(5).data().path("error").asText()).startsWith("The frame's invocationId must be");
            ws.send("inv-m", "wuying_codespace", Map.of("method", "nope"));
            WsTestClient.Received unknown = ws.next(5);
            assertThat(unknown.frame().path("invocationId").asText()).isEqualTo("inv-m");
            assertThat(unknown.phase()).isEqualTo("error");
            assertThat(unknown.data().path("error").asText())
                    .isEqualTo("Unknown method 'nope' (supported: run_code, cancel)");
            ws.send("inv-t", "wuying_shell", Map.of("method", "run_code"));
            assertThat(ws.next(5).data().path("error").asText())
                    .isEqualTo("Unknown target 'wuying_shell': this server streams run_code on target"
                            + " 'wuying_codespace'");
            ws.runCode("inv-l", "cobol", "DISPLAY 'x'");
            assertThat(ws.next(5).data().path("error").asText())
                    .startsWith("Unsupported language 'cobol' for tool 'run_code' (supported: python,");
            ws.cancel("inv-none");
            assertThat(ws.next(5).data().path("error").asText())
                    .isEqualTo("Cannot cancel invocation 'inv-none': it is not running on this connection");
            ws.send("{\"type\":\"ping\"}");
            assertThat(ws.poll(300))
                    .as("the TypeScript SDK's heartbeat gets no answer")
                    .isNull();

            ws.runCode("inv-ok", "python", "'still fine'");
            assertThat(last(ws.untilEnd("inv-ok", 30)).data().path("status").asText())
                    .isEqualTo("completed");
        }
    }

    @Test
    void aFloodOfFrames_closesThatConnection_andTheServerKeepsServing() {
        WsTestClient flooder = WsTestClient.connect(wsUrl, token);
        for (int i = 0; i < 500 && flooder.isOpen(); i++) {
            try {
                flooder.send("{\"type\":\"ping\"}");
            } catch (RuntimeException e) {
                break; // closed under us
            }
        }
        WsTestClient.Closed closed = flooder.awaitClose(10);
        if (closed.code() != -1) {
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).isEqualTo("more than 100 messages in one second");
        } else {
            // The client was still sending when the server closed: the JDK client reports the broken connection
            // instead of the close frame. Either way the connection is gone.
            assertThat(closed.reason()).as("the client's error").isNotBlank();
        }

        try (WsTestClient ws = WsTestClient.connect(wsUrl, token)) {
            ws.runCode("inv-alive", "python", "'alive'");
            assertThat(last(ws.untilEnd("inv-alive", 30)).data().path("status").asText())
                    .isEqualTo("completed");
        }
    }

    @Test
    void aMessageOverTheSizeLimit_closesTheConnectionWith1009() {
        WsTestClient ws = WsTestClient.connect(wsUrl, token);
        ws.runCode("inv-big", "python", "x = '" + "a".repeat(5 << 20) + "'");
        assertThat(ws.awaitClose(10).code()).isEqualTo(1009);
    }
}
