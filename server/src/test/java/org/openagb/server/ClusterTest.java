package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.storage.s3.S3ProxyServer;

/**
 * Three nodes on one PostgreSQL database and one s3proxy bucket, the way a team runs OpenAGB behind one address: node
 * A (this class's server), node B in this JVM, node C a separate process that a test kills with SIGKILL. Any node
 * answers for any session; createSession spreads sessions over the nodes; a killed node's sessions are reported lost
 * and their contexts keep the last checkpoint.
 */
@OnPostgres
class ClusterTest extends ServerTestBase {
    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(300);
    static final Duration NODE_DOWN_AFTER = Duration.ofMillis(1500);

    @TempDir
    static Path nodeBDir;

    @TempDir
    Path nodeCDir;

    static OpenAgbServer nodeB;
    static WireClient viaB;

    private Process nodeC;

    @BeforeAll
    static void startNodeB() {
        nodeB = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(nodeBDir)
                .port(0)
                .database(config.databaseUrl(), config.databaseUser(), config.databasePassword())
                .s3(config.s3())
                .warmSandboxes(0)
                .checkpointInterval(CHECKPOINT_INTERVAL)
                .heartbeatInterval(HEARTBEAT_INTERVAL)
                .nodeDownAfter(NODE_DOWN_AFTER)
                .build());
        viaB = new WireClient(nodeB.baseUrl(), key);
    }

    @AfterAll
    static void stopNodeB() {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    @AfterEach
    void stopNodeC() throws InterruptedException {
        if (nodeC != null && nodeC.isAlive()) {
            nodeC.destroy();
            if (!nodeC.waitFor(20, TimeUnit.SECONDS)) {
                nodeC.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        org.openagb.sandbox.SessionFiles.create(nodeCDir, List.of("/home", "/tmp", "/var/tmp"))
                .deleteAll();
    }

    @Test
    void createSessionOnOneNode_placesSessionsOnTheLeastLoadedNodes_andEachLinkUrlNamesItsNode() throws Exception {
        String c = startNodeC();
        List<String> sessions = new ArrayList<>();
        Set<String> linkBases = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            WireClient.Reply created = wire.createSession(Map.of());
            assertThat(created.success()).as(created.body().toString()).isTrue();
            sessions.add(created.data().path("sessionId").asText());
            String link = created.data().path("linkUrl").asText();
            linkBases.add(link.substring(0, link.indexOf("/link/")));
        }

        assertThat(linkBases).containsExactlyInAnyOrder(server.baseUrl(), nodeB.baseUrl(), c);
        for (String s : sessions) {
            wire.release(s);
        }
    }

    @Test
    void everyCallAboutASessionOnAnotherNode_isAnsweredThroughAnyNode_withTheCallersRequestId() throws Exception {
        String ctx = wire.context("cluster-forwarding");
        String session = pinnedSession(viaB, ctx, "/home/fw");
        WireClient viaA = wire;

        assertThat(viaA.shell(session, "echo through-a > /home/fw/a.txt; hostname >/dev/null; cat /home/fw/a.txt"))
                .isEqualTo("through-a\n");
        WireClient.Reply info = viaA.post("/mcp/getSession", Map.of(), Map.of("sessionId", session));
        assertThat(info.data().path("status").asText()).isEqualTo("RUNNING");
        assertThat(info.data().path("linkUrl").asText()).isEqualTo(nodeB.baseUrl() + "/link/" + session);
        assertThat(viaA.post("/sdk/SetLabel", Map.of("sessionId", session, "Labels", "{\"team\":\"blue\"}"), null)
                        .success())
                .isTrue();
        assertThat(viaA.get("/sdk/GetLabel", Map.of("sessionId", session))
                        .data()
                        .path("labels")
                        .asText())
                .contains("blue");
        assertThat(viaA.sync(session).findValuesAsText("status")).containsOnly("Success");
        assertThat(viaA.post(
                                "/sdk/DescribeContextFiles",
                                Map.of("contextId", ctx, "parentFolderPath", "/home/fw"),
                                null)
                        .body()
                        .toString())
                .contains("a.txt");

        WireClient.Reply named = viaA.withHeader("x-request-id", "req-cluster-test-1")
                .post("/mcp/getSessionInfo", Map.of(), Map.of("sessionId", session));
        assertThat(named.body().path("requestId").asText())
                .as("the node that answered kept the caller's request id")
                .isEqualTo("req-cluster-test-1");

        // The LinkUrl route and the WebSocket, reached on A for a session of B (the token is the credential).
        String token = info.data().path("token").asText();
        var linked = LinkUrlTest.callTool(
                server.baseUrl() + "/link/" + session, token, "shell", Map.of("command", "echo via-link"));
        assertThat(LinkUrlTest.result(linked).toString()).contains("via-link");
        try (WsTestClient ws = WsTestClient.connect("ws://127.0.0.1:" + server.port() + "/ws/" + session, token)) {
            ws.runCode("inv-cluster", "python", "print(6 * 7)");
            List<WsTestClient.Received> frames = ws.untilEnd("inv-cluster", 60);
            assertThat(frames.get(frames.size() - 1).data().path("status").asText())
                    .isEqualTo("completed");
            assertThat(frames.toString()).contains("42");
        }
        WireClient.Reply link = viaA.post("/internet/getLink", Map.of("sessionId", session, "port", "30100"), null);
        assertThat(link.success()).as(link.body().toString()).isTrue();

        viaA.release(session);
        assertThat(viaB.post("/mcp/getSessionInfo", Map.of(), Map.of("sessionId", session))
                        .code())
                .isEqualTo("InvalidMcpSession.NotFound");
        String next = pinnedSession(viaB, ctx, "/home/fw");
        assertThat(viaB.shell(next, "cat /home/fw/a.txt")).isEqualTo("through-a\n");
        viaB.release(next);
    }

    @Test
    void anotherKeysSessionOnAnotherNode_isNotFoundThroughAnyNode() {
        String otherKey = server.createApiKey("cluster-other");
        String theirs = pinnedSession(viaB.withKey(otherKey), null, null);

        WireClient.Reply call = wire.tool(theirs, "shell", Map.of("command", "echo stolen"));
        WireClient.Reply info = wire.post("/mcp/getSession", Map.of(), Map.of("sessionId", theirs));
        WireClient.Reply release = wire.post("/mcp/releaseSession", Map.of(), Map.of("sessionId", theirs));

        assertThat(call.body().toString()).doesNotContain("stolen").contains("NotFound");
        assertThat(info.code()).isEqualTo("InvalidMcpSession.NotFound");
        assertThat(release.success()).isFalse();
        assertThat(viaB.withKey(otherKey).shell(theirs, "echo still-mine")).isEqualTo("still-mine\n");
        viaB.withKey(otherKey).release(theirs);
    }

    @Test
    void aNodeKilledMidWork_losesNoCheckpoint_itsSessionsAreReportedLost_andItsReturnUploadsTheRest() throws Exception {
        String c = startNodeC();
        WireClient viaC = new WireClient(c, key);
        String ctx = wire.context("cluster-kill");
        String session = pinnedSession(viaC, ctx, "/home/k");
        viaC.shell(session, "echo checkpointed > /home/k/early.txt");
        long writtenAt = System.nanoTime();
        long deadline = System.currentTimeMillis() + 20_000;
        while (!contextFiles(ctx, "/home/k").contains("early.txt")) {
            assertThat(System.currentTimeMillis())
                    .as("a checkpoint uploads early.txt")
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
        long savedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - writtenAt);
        viaC.shell(session, "echo unsaved > /home/k/late.txt");
        long killedAt = System.nanoTime();
        nodeC.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL, mid-work
        assertThat(nodeC.exitValue()).isEqualTo(137);

        String status = "";
        while (!status.equals("LOST")) {
            assertThat(System.nanoTime() - killedAt)
                    .as("the session is reported lost once its node is marked down")
                    .isLessThan(TimeUnit.SECONDS.toNanos(20));
            status = wire.post("/mcp/getSessionInfo", Map.of(), Map.of("sessionId", session))
                    .data()
                    .path("status")
                    .asText();
            Thread.sleep(100);
        }
        System.out.printf(
                "CLUSTER checkpoint interval %d ms: a write was committed %d ms after it; the SIGKILLed node's session"
                        + " was reported LOST %d ms after the kill (node down after %d ms)%n",
                CHECKPOINT_INTERVAL.toMillis(),
                savedAfterMs,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt),
                NODE_DOWN_AFTER.toMillis());
        long callAt = System.nanoTime();
        WireClient.Reply call = wire.tool(session, "shell", Map.of("command", "true"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - callAt)).isLessThan(5_000);
        assertThat(call.success()).isFalse();
        assertThat(call.message()).contains("was lost").contains("checkpoint");
        assertThat(wire.get("/sdk/ListSession", Map.of()).body().toString())
                .contains(session)
                .contains("LOST");

        String after = pinnedSession(wire, ctx, "/home/k");
        assertThat(wire.shell(after, "cat /home/k/early.txt")).isEqualTo("checkpointed\n");
        wire.release(after);

        // The node comes back with its data directory: what the lost session wrote since its checkpoint is uploaded.
        startNodeC(nodeCDir);
        deadline = System.currentTimeMillis() + 60_000;
        while (!contextFiles(ctx, "/home/k").contains("late.txt")) {
            assertThat(System.currentTimeMillis())
                    .as("the returning node releases its lost session, upload included")
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
        wire.awaitGone(session, 60_000);
    }

    @Test
    void aStoppedNode_callsAboutItsSessionsFailFast_withAClearError() throws Exception {
        String c = startNodeC();
        String session = pinnedSession(new WireClient(c, key), null, null);
        nodeC.destroy(); // SIGTERM: a clean stop, the node is STOPPED and its sessions wait for it
        assertThat(nodeC.waitFor(30, TimeUnit.SECONDS)).isTrue();

        long at = System.nanoTime();
        WireClient.Reply call = wire.tool(session, "shell", Map.of("command", "true"));

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - at)).isLessThan(5_000);
        assertThat(call.status()).isEqualTo(503);
        assertThat(call.code()).isEqualTo("NodeUnavailable");
        assertThat(call.message()).contains(session).contains("was stopped").contains("come back");
    }

    /** Creates a session on the node {@code via} talks to (placement skipped), mounting ctx at path if given. */
    private static String pinnedSession(WireClient via, String ctx, String path) {
        WireClient pinned = via.withHeader("x-openagb-forwarded-by", "test");
        return ctx == null ? pinned.session() : pinned.session(ctx, path, STANDARD_POLICY);
    }

    private String contextFiles(String ctx, String folder) {
        return wire.post("/sdk/DescribeContextFiles", Map.of("contextId", ctx, "parentFolderPath", folder), null)
                .body()
                .toString();
    }

    private String startNodeC() throws IOException, InterruptedException {
        return startNodeC(nodeCDir);
    }

    /** Starts node C as its own process on the shared database and bucket; returns its base URL. */
    private String startNodeC(Path dir) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var s3 = config.s3();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dopenagb.test.databaseUrl=" + config.databaseUrl(),
                "-Dopenagb.test.databaseUser=" + config.databaseUser(),
                "-Dopenagb.test.databasePassword=" + config.databasePassword(),
                "-Dopenagb.test.s3Endpoint=" + s3.endpoint(),
                "-Dopenagb.test.s3Bucket=" + s3.bucket(),
                "-Dopenagb.test.s3Prefix=" + s3.keyPrefix(),
                "-Dopenagb.test.s3AccessKey=" + s3.accessKey(),
                "-Dopenagb.test.s3SecretKey=" + s3.secretKey(),
                "-Dopenagb.test.checkpointMs=" + CHECKPOINT_INTERVAL.toMillis(),
                "-Dopenagb.test.heartbeatMs=" + HEARTBEAT_INTERVAL.toMillis(),
                "-Dopenagb.test.nodeDownMs=" + NODE_DOWN_AFTER.toMillis(),
                StandaloneServer.class.getName(),
                dir.toString(),
                "0",
                "0"));
        nodeC = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(nodeC.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READY ")) {
                String url = "http://127.0.0.1:" + Integer.parseInt(line.substring(6));
                Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "node-c-output");
                drain.setDaemon(true);
                drain.start(); // its log must not fill the pipe and stop it
                awaitRegistered(url);
                return url;
            }
        }
        throw new AssertionError("node C exited before it was ready (exit " + nodeC.waitFor() + ")");
    }

    private static void awaitRegistered(String url) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (server.nodes().stream().noneMatch(n -> n.url().equals(url) && n.status() == NodeInfo.Status.UP)) {
            assertThat(System.currentTimeMillis())
                    .as("node " + url + " registers")
                    .isLessThan(deadline);
            WireClient.sleep(50);
        }
    }
}
