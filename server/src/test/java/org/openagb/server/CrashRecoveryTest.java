package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server process killed with SIGKILL in the middle of a release finishes that release when it starts again. */
class CrashRecoveryTest {
    @TempDir
    Path dataDir;

    private Process process;

    @AfterEach
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroy(); // SIGTERM: the server closes its sandboxes and their mounts
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        // What a SIGKILLed server left mounted in its data directory (its next start would remove it).
        org.openagb.sandbox.SessionFiles.create(dataDir, java.util.List.of("/home"))
                .deleteAll();
    }

    @Test
    void serverKilledDuringRelease_finishesTheReleaseOnRestart_dataIncluded() throws Exception {
        // The first server pauses 60 s between recording a release and uploading, so the kill lands mid-release.
        Started first = start(60_000);
        WireClient wire = new WireClient("http://127.0.0.1:" + first.port(), first.key());
        String ctx = wire.context("crash");
        String session = wire.session(ctx, "/home/crash", "{}");
        wire.shell(
                session,
                "mkdir -p /home/crash/d && seq 1 1000 > /home/crash/d/numbers && echo precious > /home/crash/p");
        assertThat(wire.post("/mcp/releaseSessionAsync", Map.of(), Map.of("sessionId", session))
                        .success())
                .isTrue();
        assertThat(wire.post("/mcp/getSessionInfo", Map.of(), Map.of("sessionId", session))
                        .data()
                        .path("status")
                        .asText())
                .isEqualTo("DELETING");

        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
        assertThat(process.exitValue()).isEqualTo(137);

        Started second = start(0);
        WireClient after = new WireClient("http://127.0.0.1:" + second.port(), first.key());
        after.awaitGone(session, 60_000);
        String next = after.session(ctx, "/home/crash", "{}");
        assertThat(after.shell(next, "cat /home/crash/p && wc -l < /home/crash/d/numbers"))
                .isEqualTo("precious\n1000\n");
        assertThat(Files.exists(dataDir.resolve("sessions").resolve(session)))
                .as("the released session's files are gone")
                .isFalse();
        after.release(next);
    }

    @Test
    void serverKilledWithLiveSessions_bringsThemBackWithTheirFiles() throws Exception {
        Started first = start(0);
        WireClient wire = new WireClient("http://127.0.0.1:" + first.port(), first.key());
        String ctx = wire.context("survivor");
        String session = wire.session(ctx, "/home/s", "{}");
        wire.shell(session, "echo unsynced > /home/s/f");
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        start(0);
        WireClient after = new WireClient("http://127.0.0.1:" + currentPort, first.key());
        assertThat(after.shell(session, "cat /home/s/f")).isEqualTo("unsynced\n");
        after.release(session);
        String next = after.session(ctx, "/home/s", "{}");
        assertThat(after.shell(next, "cat /home/s/f")).isEqualTo("unsynced\n");
        after.release(next);
    }

    private record Started(int port, String key) {}

    private int currentPort;
    private String firstKey;

    private Started start(long releaseDelayMs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        StandaloneServer.class.getName(),
                        dataDir.toString(),
                        "0",
                        String.valueOf(releaseDelayMs))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("KEY ")) {
                firstKey = line.substring(4);
            } else if (line.startsWith("READY ")) {
                currentPort = Integer.parseInt(line.substring(6));
                return new Started(currentPort, firstKey);
            }
        }
        throw new AssertionError("server process exited before it was ready");
    }
}
