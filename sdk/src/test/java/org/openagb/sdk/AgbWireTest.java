package org.openagb.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openagb.sdk.FakeAgbServer.ok;
import static org.openagb.sdk.FakeAgbServer.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openagb.model.ContextSync;
import org.openagb.model.SyncPolicy;
import org.openagb.sdk.internal.Json;

class AgbWireTest {
    private final FakeAgbServer server = newServer();
    private final AGB agb = AGB.builder()
            .apiKey("key-1")
            .endpoint(server.endpoint())
            .pollInterval(Duration.ofMillis(1))
            .build();

    private static FakeAgbServer newServer() {
        try {
            return new FakeAgbServer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String contextStatus(String... items) {
        String inner = "[" + String.join(",", items) + "]";
        String outer = "[{\"type\":\"data\",\"data\":" + Json.write(inner) + "}]";
        return "{\"contextStatus\":" + Json.write(outer) + "}";
    }

    private static String task(String status, String taskType) {
        return "{\"contextId\":\"SdkCtx-1\",\"path\":\"/home/data\",\"errorMessage\":\"\",\"status\":\"" + status
                + "\",\"startTime\":1,\"finishTime\":2,\"taskType\":\"" + taskType + "\"}";
    }

    private Session session() {
        server.on("/mcp/createSession", ok("r-c", "{\"sessionId\":\"s-1\",\"success\":true}"));
        return agb.create().session();
    }

    @Test
    void create_sendsTheWireRequestAndWaitsForDownloads() throws Exception {
        server.on("/mcp/createSession", ok("r-c", "{\"sessionId\":\"s-1\",\"success\":true,\"resourceUrl\":\"u\"}"));
        server.on(
                "/sdk/GetContextInfo",
                ok("r-i1", contextStatus(task("Running", "download"))),
                ok("r-i2", contextStatus(task("Success", "download"))));

        SessionResult result = agb.create(CreateSessionParams.builder()
                .contextSyncs(ContextSync.create("SdkCtx-1", "/home/data", SyncPolicy.defaults()))
                .build());

        assertThat(result.success()).isTrue();
        assertThat(result.requestId()).isEqualTo("r-c");
        assertThat(result.session().id()).isEqualTo("s-1");
        assertThat(result.session().resourceUrl()).isEqualTo("u");
        FakeAgbServer.Request create = server.requests("/mcp/createSession").get(0);
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.headers())
                .containsEntry("authorization", "Bearer key-1")
                .containsEntry("content-type", "application/json");
        assertThat(create.query()).containsEntry("imageId", "agb-code-space-1").containsKey("sdkStats");
        JsonNode body = Json.MAPPER.readTree(create.body());
        assertThat(Json.MAPPER.readTree(
                        body.path("persistenceDataList").get(0).path("policy").asText()))
                .isEqualTo(Json.MAPPER.readTree(Json.write(SyncPolicy.defaults())));
        List<FakeAgbServer.Request> polls = server.requests("/sdk/GetContextInfo");
        assertThat(polls).hasSize(2);
        assertThat(polls.get(0).method()).isEqualTo("GET");
        assertThat(polls.get(0).query()).isEqualTo(Map.of("sessionId", "s-1"));
    }

    @Test
    void createWithoutMounts_doesNotPollAndPostsAnEmptyJsonObject() {
        Session session = session();

        assertThat(session.id()).isEqualTo("s-1");
        assertThat(server.requests("/mcp/createSession").get(0).body()).isEqualTo("{}");
        assertThat(server.requests("/sdk/GetContextInfo")).isEmpty();
    }

    @Test
    void createRefusedByServer_reportsErrMsg() {
        server.on("/mcp/createSession", ok("r-c", "{\"success\":false,\"errMsg\":\"Unknown image 'x'\"}"));

        SessionResult result = agb.create();

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage()).isEqualTo("Unknown image 'x'");
        assertThat(result.session()).isNull();
    }

    @Test
    void execute_postsShellArgsAsAJsonStringAndParsesTheResult() throws Exception {
        Session session = session();
        server.on("/mcp", tool("r-t", false, "{\"stdout\":\"/tmp\\n\",\"stderr\":\"\",\"exit_code\":0}"));

        CommandResult result = session.command().execute("pwd", 5000, "/tmp", null);

        assertThat(result.success()).isTrue();
        assertThat(result.output()).isEqualTo("/tmp\n");
        FakeAgbServer.Request call = server.requests("/mcp").get(0);
        assertThat(call.query()).isEqualTo(Map.of("autoGenSession", "false"));
        JsonNode body = Json.MAPPER.readTree(call.body());
        assertThat(body.path("name").asText()).isEqualTo("shell");
        assertThat(body.path("sessionId").asText()).isEqualTo("s-1");
        assertThat(body.path("args").isTextual()).isTrue();
        assertThat(Json.MAPPER.readTree(body.path("args").asText()))
                .isEqualTo(Json.MAPPER.readTree("{\"command\":\"pwd\",\"timeout_ms\":5000,\"cwd\":\"/tmp\"}"));
    }

    @Test
    void executeWithNonZeroExit_reportsStderrAndExitCode() {
        Session session = session();
        server.on("/mcp", tool("r-t", true, "{\"stdout\":\"\",\"stderr\":\"boom\",\"exit_code\":3,\"traceId\":\"\"}"));

        CommandResult result = session.command().execute("false");

        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.errorMessage()).isEqualTo("boom");
    }

    @Test
    void read_fetchesInfoThenByteChunksOf51200() throws Exception {
        Session session = session();
        server.on(
                "/mcp",
                tool("r-1", false, "name: big.txt\nsize: 60000\nisDirectory: false"),
                tool("r-2", false, "a".repeat(51200)),
                tool("r-3", false, "b".repeat(8800)));

        FileContentResult result = session.file().read("/tmp/big.txt");

        assertThat(result.success()).isTrue();
        assertThat(result.content()).hasSize(60000).endsWith("b");
        assertThat(result.requestId()).isEqualTo("r-3");
        List<JsonNode> args =
                server.requests("/mcp").stream().map(r -> readArgs(r.body())).toList();
        assertThat(args.get(0)).isEqualTo(Json.MAPPER.readTree("{\"path\":\"/tmp/big.txt\"}"));
        assertThat(args.get(1))
                .isEqualTo(Json.MAPPER.readTree("{\"path\":\"/tmp/big.txt\",\"offset\":0,\"length\":51200}"));
        assertThat(args.get(2))
                .isEqualTo(Json.MAPPER.readTree("{\"path\":\"/tmp/big.txt\",\"offset\":51200,\"length\":8800}"));
    }

    @Test
    void readOfDirectory_failsWithoutReading() {
        Session session = session();
        server.on("/mcp", tool("r-1", false, "size: 4096\nisDirectory: true"));

        FileContentResult result = session.file().read("/tmp");

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage())
                .isEqualTo("Cannot read file '/tmp': it is a directory (use list(path) to see its entries)");
        assertThat(server.requests("/mcp")).hasSize(1);
    }

    @Test
    void longWrite_sendsTheFirstChunkWithTheModeThenAppends() {
        Session session = session();
        server.on("/mcp", tool("r-w", false, "ok"));

        OperationResult result = session.file().write("/tmp/x.txt", "x".repeat(100_000));

        assertThat(result.success()).isTrue();
        List<JsonNode> args =
                server.requests("/mcp").stream().map(r -> readArgs(r.body())).toList();
        assertThat(args).extracting(a -> a.path("mode").asText()).containsExactly("overwrite", "append");
        assertThat(args).extracting(a -> a.path("content").asText().length()).containsExactly(51200, 48800);
    }

    @Test
    void toolErrorWithEnvelopeMessage_prefersTheEnvelopeMessage() {
        Session session = session();
        server.on(
                "/mcp",
                "{\"success\":false,\"code\":\"InvalidSession.NotFound\",\"message\":\"Resource [Session] is not"
                        + " found\",\"requestId\":\"r-x\"}");

        OperationResult result = session.file().mkdir("/tmp/d");

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage()).isEqualTo("Resource [Session] is not found");
        assertThat(result.requestId()).isEqualTo("r-x");
    }

    @Test
    void sync_postsTheFiltersAndWaitsUntilTasksFinish() {
        Session session = session();
        server.on("/sdk/SyncContext", ok("r-s", null));
        server.on(
                "/sdk/GetContextInfo",
                ok("r-i", contextStatus(task("Pending", "upload"))),
                ok("r-i", contextStatus(task("Success", "upload"))));

        ContextSyncResult result = session.context().sync("SdkCtx-1", "/home/data", SyncMode.DOWNLOAD);

        assertThat(result).isEqualTo(new ContextSyncResult(true, "r-s", ""));
        FakeAgbServer.Request sync = server.requests("/sdk/SyncContext").get(0);
        assertThat(sync.method()).isEqualTo("POST");
        assertThat(sync.body()).isEqualTo("{}");
        assertThat(sync.query())
                .isEqualTo(
                        Map.of("sessionId", "s-1", "contextId", "SdkCtx-1", "path", "/home/data", "mode", "download"));
        assertThat(server.requests("/sdk/GetContextInfo"))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.query())
                        .isEqualTo(Map.of("sessionId", "s-1", "contextId", "SdkCtx-1", "path", "/home/data")));
    }

    @Test
    void syncWithAFailedTask_failsWithItsMessage() throws Exception {
        Session session = session();
        server.on("/sdk/SyncContext", ok("r-s", null));
        server.on(
                "/sdk/GetContextInfo",
                ok(
                        "r-i",
                        contextStatus("{\"contextId\":\"SdkCtx-1\",\"path\":\"/home/data\",\"errorMessage\":\"disk"
                                + " full\",\"status\":\"Failed\",\"taskType\":\"upload\"}")));
        AtomicReference<ContextSyncResult> seen = new AtomicReference<>();

        ContextSyncResult result =
                session.context().syncAsync(null, null, null, seen::set).get(5, TimeUnit.SECONDS);

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage()).isEqualTo("upload of '/home/data' (context SdkCtx-1) failed: disk full");
        assertThat(seen.get()).isEqualTo(result);
        assertThat(server.requests("/sdk/SyncContext").get(0).query()).isEqualTo(Map.of("sessionId", "s-1"));
    }

    @Test
    void delete_releasesThenPollsUntilNotFound() throws Exception {
        Session session = session();
        server.on("/mcp/releaseSessionAsync", ok("r-d", null));
        server.on(
                "/mcp/getSessionInfo",
                ok("r-g", "{\"status\":\"DELETING\"}"),
                "{\"success\":false,\"code\":\"InvalidMcpSession.NotFound\",\"message\":\"Session s-1 not found\","
                        + "\"httpStatusCode\":400,\"requestId\":\"r-g2\"}");

        DeleteResult result = agb.delete(session);

        assertThat(result).isEqualTo(new DeleteResult(true, "r-d", ""));
        assertThat(Json.MAPPER.readTree(
                        server.requests("/mcp/releaseSessionAsync").get(0).body()))
                .isEqualTo(Json.MAPPER.readTree("{\"sessionId\":\"s-1\"}"));
        assertThat(server.requests("/mcp/getSessionInfo")).hasSize(2);
        assertThat(server.requests("/sdk/SyncContext")).isEmpty();
    }

    @Test
    void deleteRefused_reportsCodeAndMessage() {
        Session session = session();
        server.on(
                "/mcp/releaseSessionAsync",
                "{\"success\":false,\"code\":\"Forbidden\",\"message\":\"nope\",\"requestId\":\"r-d\"}");

        DeleteResult result = agb.delete(session);

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage()).isEqualTo("Failed to delete session s-1: [Forbidden] nope");
    }

    @Test
    void contextGet_sendsNameAndAllowCreateInTheQuery() {
        server.on(
                "/sdk/GetContext",
                ok(
                        "r-g",
                        "{\"id\":\"SdkCtx-1\",\"name\":\"my project\",\"state\":\"available\","
                                + "\"createTime\":\"2025-05-29T12:00:00Z\",\"lastUsedTime\":\"\"}"));

        ContextResult result = agb.context().get("my project", true);

        assertThat(result.success()).isTrue();
        assertThat(result.context())
                .isEqualTo(new Context("SdkCtx-1", "my project", "available", "2025-05-29T12:00:00Z", ""));
        FakeAgbServer.Request request = server.requests("/sdk/GetContext").get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawQuery()).isEqualTo("name=my+project&allowCreate=true");
    }

    @Test
    void unreachableServer_givesAFailedResultNamingTheEndpoint() {
        AGB offline = AGB.builder()
                .apiKey("k")
                .endpoint("http://127.0.0.1:1")
                .timeout(Duration.ofSeconds(2))
                .build();

        ContextResult result = offline.context().get("x");

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage())
                .startsWith("Cannot call GET http://127.0.0.1:1/sdk/GetContext?name=x&allowCreate=false: ")
                .endsWith("(check that the server is running and AGB_ENDPOINT is right)");
    }

    private static JsonNode readArgs(String body) {
        try {
            return Json.MAPPER.readTree(Json.MAPPER.readTree(body).path("args").asText());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
