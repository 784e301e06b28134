package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionApiTest extends ServerTestBase {

    private static Map<String, Object> mount(String contextId, String path, String policy) {
        return Map.of("persistenceDataList", List.of(Map.of("contextId", contextId, "path", path, "policy", policy)));
    }

    @Test
    void create_answersEveryFieldTheSdksRead_andRegistersDownloadTasksBeforeReplying() {
        String ctx = wire.context("create-fields");
        WireClient.Reply created = wire.createSession(mount(ctx, "/home/project/", DEFAULT_POLICY));
        assertThat(created.success()).isTrue();
        String id = created.data().path("sessionId").asText();
        assertThat(id).startsWith("session-");
        assertThat(created.data().path("success").asBoolean()).isTrue();
        assertThat(created.data().path("linkUrl").asText()).isEqualTo(server.baseUrl() + "/link/" + id);
        assertThat(created.data().path("token").asText()).startsWith("lt-");
        assertThat(created.data().path("wsUrl").asText())
                .isEqualTo("ws" + server.baseUrl().substring(4) + "/ws/" + id);
        assertThat(created.data().path("toolList").isTextual()).isTrue();

        assertThat(wire.tasks(id)).singleElement().satisfies(task -> {
            assertThat(task.path("taskType").asText()).isEqualTo("download");
            assertThat(task.path("path").asText())
                    .as("path is reported verbatim")
                    .isEqualTo("/home/project/");
            assertThat(task.path("contextId").asText()).isEqualTo(ctx);
        });

        WireClient.Reply got = wire.post("/mcp/getSession", Map.of(), Map.of("sessionId", id));
        assertThat(got.code()).isEqualTo("ok");
        assertThat(got.data().path("resourceUrl").asText()).contains("resourceId=");
        assertThat(got.data().path("appInstanceId").asText()).isNotEmpty();
        assertThat(got.data().path("resourceId").asText()).isNotEmpty();
        assertThat(wire.post("/mcp/getSessionInfo", Map.of(), Map.of("sessionId", id))
                        .data()
                        .path("status")
                        .asText())
                .isEqualTo("RUNNING");
        assertThat(wire.awaitTasks(id).get(0).path("status").asText()).isEqualTo("Success");
        assertThat(wire.awaitTasks(id).get(0).path("errorMessage").asText()).isEmpty();
        wire.release(id);
    }

    @Test
    void releasedSession_isNotFoundEverywhere_andToolCallsFailWithNotFound() {
        String id = wire.session();
        wire.release(id);
        WireClient.Reply info = wire.post("/mcp/getSessionInfo", Map.of(), Map.of("sessionId", id));
        assertThat(info.success()).isFalse();
        assertThat(info.code()).isEqualTo("InvalidMcpSession.NotFound");
        assertThat(info.body().path("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(info.message()).containsIgnoringCase("not found");
        WireClient.Reply tool = wire.tool(id, "shell", Map.of("command", "echo hi", "timeout_ms", 1000));
        assertThat(tool.success()).isFalse();
        assertThat(tool.code()).isEqualTo("InvalidSession.NotFound");
        assertThat(tool.message()).containsIgnoringCase("not found");
        assertThat(wire.post("/mcp/releaseSessionAsync", Map.of(), Map.of("sessionId", id))
                        .code())
                .isEqualTo("InvalidMcpSession.NotFound");
    }

    @Test
    void anotherKey_getsNotFoundForThisKeysSession_andCannotMountThisKeysContext() {
        String ctx = wire.context("private-ctx");
        String id = wire.session(ctx, "/home/p", DEFAULT_POLICY);
        WireClient other = wire.withKey(server.createApiKey("intruder"));
        assertThat(other.post("/mcp/getSession", Map.of(), Map.of("sessionId", id))
                        .code())
                .isEqualTo("InvalidMcpSession.NotFound");
        assertThat(other.tool(id, "shell", Map.of("command", "id")).code()).isEqualTo("InvalidSession.NotFound");
        assertThat(other.post("/mcp/releaseSessionAsync", Map.of(), Map.of("sessionId", id))
                        .success())
                .isFalse();
        assertThat(other.post("/sdk/SyncContext", Map.of("sessionId", id), null).success())
                .isFalse();
        assertThat(other.get("/sdk/GetContextInfo", Map.of("sessionId", id)).success())
                .isFalse();
        WireClient.Reply mountForeign = other.createSession(mount(ctx, "/home/p", DEFAULT_POLICY));
        assertThat(mountForeign.success()).isFalse();
        assertThat(mountForeign.code()).isEqualTo("InvalidContext.NotFound");
        assertThat(mountForeign.message()).contains(ctx);
        assertThat(wire.post("/mcp/getSessionInfo", Map.of(), Map.of("sessionId", id))
                        .success())
                .isTrue();
        wire.release(id);
    }

    @Test
    void malformedPolicyJson_isRejectedWithAMessageNamingIt() {
        String ctx = wire.context("bad-policy");
        WireClient.Reply r = wire.createSession(mount(ctx, "/home/p", "{\"uploadPolicy\": {\"autoUpload\": tru"));
        assertThat(r.success()).isFalse();
        assertThat(r.code()).isEqualTo("InvalidParameter");
        assertThat(r.message()).contains("policy").contains("/home/p");

        WireClient.Reply badEnum =
                wire.createSession(mount(ctx, "/home/p", "{\"uploadPolicy\": {\"uploadMode\": \"Zip\"}}"));
        assertThat(badEnum.code()).isEqualTo("InvalidParameter");
        assertThat(badEnum.message()).contains("'Zip'").contains("File");
    }

    @Test
    void wildcardWhitelist_isRejectedByTheServer_namingTheValue() {
        String ctx = wire.context("wild");
        WireClient.Reply r = wire.createSession(mount(
                ctx, "/home/p", "{\"bwList\": {\"whiteLists\": [{\"path\": \"/src/*\", \"excludePaths\": []}]}}"));
        assertThat(r.code()).isEqualTo("InvalidParameter");
        assertThat(r.message()).contains("'/src/*'").contains("wildcard");
    }

    @Test
    void systemAndRelativeMountPaths_areRefused_namingTheAllowedRoots() {
        String ctx = wire.context("paths");
        for (String path :
                List.of("/opt", "/", "/etc/x", "/usr/local", "relative/dir", "/home/../etc", "/tmp/a/../../etc")) {
            WireClient.Reply r = wire.createSession(mount(ctx, path, DEFAULT_POLICY));
            assertThat(r.success()).as(path).isFalse();
            assertThat(r.code()).as(path).isEqualTo("InvalidParameter");
            assertThat(r.message()).as(path).contains("'" + path + "'");
        }
        assertThat(wire.createSession(mount(ctx, "/opt", DEFAULT_POLICY)).message())
                .contains("/home, /tmp, /var/tmp");
    }

    @Test
    void duplicateOrNestedMounts_inOneSession_areRefused() {
        String a = wire.context("nest-a");
        String b = wire.context("nest-b");
        WireClient.Reply r = wire.createSession(Map.of(
                "persistenceDataList",
                List.of(
                        Map.of("contextId", a, "path", "/home/p", "policy", DEFAULT_POLICY),
                        Map.of("contextId", b, "path", "/home/p/inner", "policy", DEFAULT_POLICY))));
        assertThat(r.success()).isFalse();
        assertThat(r.code()).contains("PathAlreadyBound");
        assertThat(r.message()).contains("/home/p/inner").contains("/home/p");
    }

    @Test
    void unknownContextAndImage_areClearErrors() {
        WireClient.Reply ctx = wire.createSession(mount("SdkCtx-missing", "/home/p", DEFAULT_POLICY));
        assertThat(ctx.code()).isEqualTo("InvalidContext.NotFound");
        WireClient.Reply image = wire.post("/mcp/createSession", Map.of("imageId", "windows-95"), Map.of());
        assertThat(image.code()).isEqualTo("InvalidParameter");
        assertThat(image.message()).contains("'windows-95'").contains("agb-code-space-1");
    }

    @Test
    void labels_areStoredAndFiltered_andMalformedLabelsAreRejected() {
        String id = wire.createSession(Map.of("labels", "{\"project\": \"x\", \"env\": \"test\"}"))
                .data()
                .path("sessionId")
                .asText();
        WireClient.Reply labels = wire.get("/sdk/GetLabel", Map.of("sessionId", id));
        assertThat(labels.data().path("labels").asText()).contains("\"project\":\"x\"");
        WireClient.Reply listed =
                wire.get("/sdk/ListSession", Map.of("labels", "{\"project\": \"x\"}", "maxResults", "10"));
        assertThat(listed.data().findValuesAsText("sessionId")).contains(id);
        assertThat(listed.body().path("nextToken").asText()).isEmpty();
        assertThat(wire.get("/sdk/ListSession", Map.of("labels", "{\"project\": \"y\"}"))
                        .data())
                .isEmpty();
        WireClient.Reply bad = wire.createSession(Map.of("labels", "[1, 2]"));
        assertThat(bad.code()).isEqualTo("InvalidParameter");
        assertThat(bad.message()).contains("labels");
        wire.release(id);
    }

    @Test
    void shell_runsInTheSandbox_withCwdEnvsTimeoutAndExitCodes() throws Exception {
        String id = wire.session();
        assertThat(wire.shell(id, "echo hello")).isEqualTo("hello\n");
        WireClient.Reply pwd = wire.tool(id, "shell", Map.of("command", "pwd", "cwd", "/tmp", "timeout_ms", 1000));
        assertThat(WireClient.JSON.readTree(pwd.toolText()).path("stdout").asText())
                .isEqualTo("/tmp\n");
        WireClient.Reply env = wire.tool(
                id, "shell", Map.of("command", "echo $GREETING", "envs", Map.of("GREETING", "hi"), "timeout_ms", 1000));
        assertThat(WireClient.JSON.readTree(env.toolText()).path("stdout").asText())
                .isEqualTo("hi\n");

        WireClient.Reply fail = wire.tool(id, "shell", Map.of("command", "echo oops >&2; exit 3", "timeout_ms", 1000));
        assertThat(fail.success())
                .as("a tool failure is still a successful envelope")
                .isTrue();
        assertThat(fail.message()).isEmpty();
        assertThat(fail.toolError()).isTrue();
        assertThat(WireClient.JSON.readTree(fail.toolText()).path("exit_code").asInt())
                .isEqualTo(3);
        assertThat(WireClient.JSON.readTree(fail.toolText()).path("stderr").asText())
                .isEqualTo("oops\n");

        WireClient.Reply slow = wire.tool(id, "shell", Map.of("command", "echo started; sleep 30", "timeout_ms", 500));
        assertThat(slow.toolError()).isTrue();
        assertThat(WireClient.JSON.readTree(slow.toolText()).path("exit_code").asInt())
                .isEqualTo(124);
        assertThat(WireClient.JSON.readTree(slow.toolText()).path("stdout").asText())
                .isEqualTo("started\n");
        assertThat(WireClient.JSON.readTree(slow.toolText()).path("stderr").asText())
                .contains("timed out after 500 ms");

        assertThat(wire.shell(id, "ps -e -o pid= | wc -l").trim())
                .as("own PID namespace: only a few processes")
                .satisfies(n -> assertThat(Integer.parseInt(n)).isLessThan(10));
        wire.release(id);
    }

    @Test
    void fileTools_refuseDotDotAndSymlinkEscapes() {
        String id = wire.session();
        wire.shell(id, "mkdir -p /home/u && ln -s / /home/u/root && ln -s ../../etc /home/u/etc");
        for (String path :
                List.of("/home/../etc/passwd", "/home/u/root/etc/passwd", "/home/u/etc/passwd", "/etc/passwd")) {
            WireClient.Reply read = wire.tool(id, "read_file", Map.of("path", path));
            assertThat(read.toolError()).as(path).isTrue();
            assertThat(read.toolText()).as(path).contains("/home, /tmp, /var/tmp");
        }
        // A symlink to "/" means the session's own root: writing through it lands in the session's /tmp.
        String name = "through-link-" + id;
        WireClient.Reply write =
                wire.tool(id, "write_file", Map.of("path", "/home/u/root/tmp/" + name, "content", "x"));
        assertThat(write.toolError()).isFalse();
        assertThat(wire.shell(id, "cat /tmp/" + name)).isEqualTo("x");
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/tmp", name)))
                .as("host /tmp untouched")
                .isFalse();
        WireClient.Reply outside =
                wire.tool(id, "write_file", Map.of("path", "/home/u/root/usr/pwned", "content", "x"));
        assertThat(outside.toolError()).isTrue();
        assertThat(outside.toolText()).contains("/usr/pwned");
        wire.release(id);
    }
}
