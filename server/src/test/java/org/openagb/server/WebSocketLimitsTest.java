package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket endpoint's bounds on a server with small ones (idle timeout 1 s, one connection per session, 256 KiB
 * of waiting output; 64 MiB of output per cell): a real server and real sandboxes.
 */
class WebSocketLimitsTest {
    @TempDir
    static Path dataDir;

    static OpenAgbServer server;
    static WireClient wire;

    @BeforeAll
    static void start() {
        server = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(dataDir)
                .port(0)
                .warmSandboxes(0)
                .commandOutputLimitBytes(64 << 20)
                .webSocketLimits(WebSocketLimits.defaults()
                        .withIdleTimeout(Duration.ofSeconds(1))
                        .withMaxConnectionsPerSession(1)
                        .withMaxBufferedBytes(256 * 1024))
                .build());
        wire = new WireClient(server.baseUrl(), server.bootstrapApiKey().orElseThrow());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Created(String id, String wsUrl, String token) {}

    private static Created create() {
        WireClient.Reply r = wire.createSession(Map.of());
        assertThat(r.success()).as(r.body().toString()).isTrue();
        return new Created(
                r.data().path("sessionId").asText(),
                r.data().path("wsUrl").asText(),
                r.data().path("token").asText());
    }

    /** Connects, retrying while the server still counts a socket the client just saw closed. */
    private static WsTestClient connectOnceFree(Created s) {
        return await().atMost(Duration.ofSeconds(5))
                .ignoreException(WsTestClient.RefusedException.class)
                .until(() -> WsTestClient.connect(s.wsUrl(), s.token()), c -> true);
    }

    @Test
    void aSilentConnection_isClosedAfterTheIdleTimeout_butNotWhileItsCellRuns() {
        Created s = create();
        WsTestClient ws = WsTestClient.connect(s.wsUrl(), s.token());
        ws.runCode("inv-quiet", "python", "import time\ntime.sleep(2.5)\n'woke'");
        List<WsTestClient.Received> frames = ws.untilEnd("inv-quiet", 60);
        assertThat(frames.get(frames.size() - 1).data().path("status").asText())
                .as("a cell longer than the idle timeout keeps its connection (the server pings)")
                .isEqualTo("completed");

        long ended = System.nanoTime();
        WsTestClient.Closed closed = ws.awaitClose(10);
        assertThat(closed.code()).isEqualTo(1001);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ended)).isBetween(500L, 5_000L);
        wire.release(s.id());
    }

    @Test
    void connectionsPerSession_areCapped_andAClosedOneFreesItsPlace() {
        Created s = create();
        try (WsTestClient first = WsTestClient.connect(s.wsUrl(), s.token())) {
            WsTestClient.Refused second = WsTestClient.refused(s.wsUrl(), Map.of("X-Access-Token", s.token()));
            assertThat(second.status()).isEqualTo(429);
            assertThat(second.body())
                    .contains("TooManyConnections")
                    .contains("has 1 open WebSocket connections already");
        }
        try (WsTestClient again = connectOnceFree(s)) {
            again.runCode("inv-again", "python", "1");
            assertThat(again.untilEnd("inv-again", 60))
                    .last()
                    .satisfies(f -> assertThat(f.data().path("status").asText()).isEqualTo("completed"));
        }
        wire.release(s.id());
    }

    @Test
    void aClientThatReadsTooSlowly_isCutOffOnceItsWaitingOutputPassesTheCap_andItsCellIsCancelled() {
        Created s = create();
        WsTestClient slow = WsTestClient.connectSlowly(s.wsUrl(), s.token(), Duration.ofMillis(2));
        slow.runCode(
                "inv-flood",
                "python",
                "import sys, time\nfor i in range(400):\n    sys.stdout.write('y' * 65536 + '\\n')\n"
                        + "    sys.stdout.flush()\ntime.sleep(120)");

        WsTestClient.Closed closed = slow.awaitClose(60);
        assertThat(closed.code()).isEqualTo(1008);
        assertThat(closed.reason()).isEqualTo("more than 256 KiB of output waiting: the client reads too slowly");
        // The cell was cancelled with the connection: the kernel is free long before its 120 s sleep would end.
        long started = System.nanoTime();
        WireClient.Reply next = wire.tool(s.id(), "run_code", Map.of("code", "'free'", "language", "python"));
        assertThat(next.toolText()).contains("'free'");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
        wire.release(s.id());
    }
}
