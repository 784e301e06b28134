package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.storage.s3.S3ProxyServer;

/**
 * What forwarding costs: the same tool call ({@code shell echo}) and getSessionInfo on a session of node B, sent to B
 * (direct) and to A (forwarded to B), interleaved call by call so both see the same machine. Prints p50 / p95 and the
 * ratio. Run: {@code mvn -o -pl server test -Dtest=ClusterBenchmark -DexcludedGroups=none -Dgroups=benchmark}.
 */
@Tag("benchmark")
@OnPostgres
class ClusterBenchmark extends ServerTestBase {
    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    @TempDir
    Path nodeBDir;

    @Test
    void forwardedToolCall_costsAboutOneLoopbackHopMoreThanDirect() {
        try (OpenAgbServer nodeB = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(nodeBDir)
                .port(0)
                .database(config.databaseUrl(), config.databaseUser(), config.databasePassword())
                .s3(config.s3())
                .warmSandboxes(0)
                .build())) {
            WireClient direct = new WireClient(nodeB.baseUrl(), key);
            WireClient forwarded = wire;
            String session =
                    direct.withHeader("x-openagb-forwarded-by", "bench").session();
            int rounds = Integer.getInteger("bench.rounds", 300);
            for (int i = 0; i < 30; i++) { // warm-up: JIT, connections, the owner cache
                direct.shell(session, "echo warm");
                forwarded.shell(session, "echo warm");
            }
            List<Long> toolDirect = new ArrayList<>();
            List<Long> toolForwarded = new ArrayList<>();
            List<Long> infoDirect = new ArrayList<>();
            List<Long> infoForwarded = new ArrayList<>();
            Map<String, Object> info = Map.of("sessionId", session);
            for (int i = 0; i < rounds; i++) {
                toolDirect.add(time(() -> direct.shell(session, "echo hi")));
                toolForwarded.add(time(() -> forwarded.shell(session, "echo hi")));
                infoDirect.add(time(() -> direct.post("/mcp/getSessionInfo", Map.of(), info)));
                infoForwarded.add(time(() -> forwarded.post("/mcp/getSessionInfo", Map.of(), info)));
            }
            report("shell echo", toolDirect, toolForwarded);
            report("getSessionInfo", infoDirect, infoForwarded);
            direct.release(session);
            assertThat(toolForwarded).hasSize(rounds);
        }
    }

    private static long time(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return System.nanoTime() - start;
    }

    private static void report(String what, List<Long> direct, List<Long> forwarded) {
        double d50 = percentile(direct, 50);
        double f50 = percentile(forwarded, 50);
        System.out.printf(
                "BENCH cluster %-15s direct p50 %.2f ms p95 %.2f ms | forwarded p50 %.2f ms p95 %.2f ms | +%.2f ms"
                        + " (%.2fx)%n",
                what, d50, percentile(direct, 95), f50, percentile(forwarded, 95), f50 - d50, f50 / d50);
    }

    private static double percentile(List<Long> nanos, int p) {
        return WireBenchmark.pct(nanos, p);
    }
}
