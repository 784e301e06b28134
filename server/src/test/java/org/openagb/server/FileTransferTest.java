package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SDK's file-transfer flows (WIRE.md §6.7), replayed call by call: GetAndLoadInternalContext, presigned URL,
 * PUT/GET, explicit SyncContext on dir(remote) and GetContextInfo polling filtered by contextId/path/taskType.
 */
class FileTransferTest extends ServerTestBase {

    /** GetAndLoadInternalContext as the SDK calls it; returns the context id. */
    static String internalContext(String sessionId) {
        WireClient.Reply r = wire.post(
                "/sdk/GetAndLoadInternalContext",
                Map.of("sessionId", sessionId, "contextTypes", "[\"file_transfer\"]"),
                null);
        assertThat(r.success()).as(r.body().toString()).isTrue();
        assertThat(r.data().isArray()).isTrue();
        assertThat(r.data()).hasSize(1);
        JsonNode item = r.data().path(0);
        assertThat(item.path("contextType").asText()).isEqualTo("file_transfer");
        assertThat(item.path("contextPath").asText()).isEqualTo("/tmp/file_transfer");
        assertThat(item.path("contextId").asText()).startsWith("SdkCtx-");
        return item.path("contextId").asText();
    }

    /** The SDK's wait: poll GetContextInfo(contextId, path, taskType) until the item with path == dir is finished. */
    static JsonNode awaitTransfer(String sessionId, String contextId, String dir, String taskType) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            WireClient.Reply r = wire.get(
                    "/sdk/GetContextInfo",
                    Map.of("sessionId", sessionId, "contextId", contextId, "path", dir, "taskType", taskType));
            assertThat(r.success()).isTrue();
            assertThat(r.body().path("requestId").asText()).isNotEmpty();
            for (JsonNode item : items(r)) {
                if (item.path("contextId").asText().equals(contextId)
                        && item.path("path").asText().equals(dir)
                        && item.path("taskType").asText().equals(taskType)) {
                    assertThat(item.path("errorMessage").asText()).isEmpty();
                    if (item.path("status").asText().equals("Success")) {
                        return item;
                    }
                }
            }
            WireClient.sleep(100);
        }
        throw new AssertionError("no finished " + taskType + " task for " + dir + " of " + contextId);
    }

    static JsonNode items(WireClient.Reply info) {
        try {
            JsonNode outer =
                    WireClient.JSON.readTree(info.data().path("contextStatus").asText());
            return WireClient.JSON.readTree(outer.path(0).path("data").asText("[]"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void upload_localToSandbox_followsTheSdkFlow_andTheFileIsReadableInTheSession() {
        String session = wire.session();
        String ft = internalContext(session);
        assertThat(internalContext(session)).isEqualTo(ft); // one per session, returned again

        byte[] content = new byte[70_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + (i >> 8));
        }
        String remote = "/tmp/test_binary.dat";
        WireClient.Reply url =
                wire.post("/sdk/GetContextFileUploadUrl", Map.of("contextId", ft, "filePath", remote), null);
        assertThat(url.success()).isTrue();
        assertThat(url.body().path("requestId").asText()).isNotEmpty();
        PresignedHttp.Answer put = PresignedHttp.put(url.data().path("url").asText(), content);
        assertThat(put.status()).isEqualTo(200);

        WireClient.Reply sync = wire.post(
                "/sdk/SyncContext",
                Map.of("sessionId", session, "contextId", ft, "path", "/tmp", "mode", "download"),
                null);
        assertThat(sync.success()).as(sync.body().toString()).isTrue();
        assertThat(sync.body().path("requestId").asText()).isNotEmpty();
        awaitTransfer(session, ft, "/tmp", "download");

        WireClient.Reply read = wire.tool(session, "read_file", Map.of("path", remote, "format", "binary"));
        assertThat(read.toolError()).as(read.body().toString()).isFalse();
        assertThat(Base64.getDecoder().decode(read.toolText())).isEqualTo(content);
        assertThat(wire.tool(session, "list_directory", Map.of("path", "/tmp")).toolText())
                .contains("[FILE] test_binary.dat")
                .contains("[DIR] file_transfer");
        wire.release(session);
    }

    @Test
    void download_sandboxToLocal_followsTheSdkFlow_andTheBytesAreIdentical() {
        String session = wire.session();
        String ft = internalContext(session);
        wire.shell(session, "mkdir -p /tmp/out && head -c 123457 /dev/urandom > /tmp/out/result.bin");
        String remote = "/tmp/out/result.bin";

        WireClient.Reply sync = wire.post(
                "/sdk/SyncContext",
                Map.of("sessionId", session, "contextId", ft, "path", "/tmp/out", "mode", "upload"),
                null);
        assertThat(sync.success()).as(sync.body().toString()).isTrue();
        awaitTransfer(session, ft, "/tmp/out", "upload");

        WireClient.Reply url =
                wire.post("/sdk/GetContextFileDownloadUrl", Map.of("contextId", ft, "filePath", remote), null);
        assertThat(url.success()).as(url.body().toString()).isTrue();
        PresignedHttp.Answer get = PresignedHttp.get(url.data().path("url").asText());
        assertThat(get.status()).isEqualTo(200);

        WireClient.Reply read = wire.tool(session, "read_file", Map.of("path", remote, "format", "binary"));
        assertThat(get.body()).hasSize(123457).isEqualTo(Base64.getDecoder().decode(read.toolText()));
        wire.release(session);
    }

    @Test
    void internalContext_isHidden_notInUnfilteredSyncs_andPrivateToItsSession() {
        String data = wire.context("ft-user-data");
        String session = wire.session(data, "/home/ftdata", STANDARD_POLICY);
        String ft = internalContext(session);
        PresignedHttp.put(
                wire.post("/sdk/GetContextFileUploadUrl", Map.of("contextId", ft, "filePath", "/tmp/x.txt"), null)
                        .data()
                        .path("url")
                        .asText(),
                new byte[] {1});

        // not listed
        assertThat(wire.get("/sdk/ListContexts", Map.of("maxResults", "100"))
                        .data()
                        .findValuesAsText("id"))
                .contains(data)
                .doesNotContain(ft);

        // an unfiltered sync (upload or download) never touches it
        wire.sync(session);
        wire.post("/sdk/SyncContext", Map.of("sessionId", session, "mode", "download"), null);
        wire.awaitTasks(session);
        assertThat(wire.tasks(session).findValuesAsText("contextId"))
                .contains(data)
                .doesNotContain(ft);

        // another session of the same key can neither mount nor sync it
        WireClient.Reply mount = wire.createSession(Map.of(
                "persistenceDataList",
                java.util.List.of(Map.of("contextId", ft, "path", "/home/steal", "policy", "{}"))));
        assertThat(mount.data().path("sessionId").isMissingNode() || !mount.success())
                .isTrue();
        assertThat(mount.code()).isEqualTo("InvalidParameter");
        assertThat(mount.message()).contains(ft).contains("cannot be mounted");
        String other = wire.session();
        WireClient.Reply steal = wire.post(
                "/sdk/SyncContext",
                Map.of("sessionId", other, "contextId", ft, "path", "/tmp", "mode", "download"),
                null);
        assertThat(steal.success()).isFalse();
        assertThat(steal.code()).isEqualTo("InvalidContext.NotFound");
        assertThat(steal.message()).contains(ft);

        // another key sees nothing of it
        WireClient stranger = wire.withKey(server.createApiKey("ft-stranger"));
        WireClient.Reply foreign =
                stranger.post("/sdk/GetContextFileUploadUrl", Map.of("contextId", ft, "filePath", "/tmp/y"), null);
        assertThat(foreign.code()).isEqualTo("InvalidContext.NotFound");

        // it cannot be renamed, and its reserved name cannot be taken
        WireClient.Reply rename = wire.post("/sdk/ModifyContext", Map.of("id", ft, "name", "mine"), null);
        assertThat(rename.success()).isFalse();
        assertThat(rename.message()).contains("internal file_transfer context of session " + session);
        WireClient.Reply reserved = wire.get(
                "/sdk/GetContext",
                Map.of("name", "__openagb_internal__/file_transfer/" + session, "allowCreate", "true"));
        assertThat(reserved.success()).isFalse();
        assertThat(reserved.message()).contains("reserved");

        // it ends with its session
        wire.release(session);
        wire.release(other);
        WireClient.Reply gone = wire.get("/sdk/GetContext", Map.of("id", ft, "allowCreate", "false"));
        assertThat(gone.code()).isEqualTo("InvalidContext.NotFound");
    }

    @Test
    void getAndLoadInternalContext_needsALiveSession_andKnownTypes() {
        WireClient.Reply unknown = wire.post(
                "/sdk/GetAndLoadInternalContext",
                Map.of("sessionId", "session-nope", "contextTypes", "[\"file_transfer\"]"),
                null);
        assertThat(unknown.code()).isEqualTo("InvalidMcpSession.NotFound");
        assertThat(unknown.message()).contains("session-nope");

        String session = wire.session();
        WireClient.Reply badType = wire.post(
                "/sdk/GetAndLoadInternalContext", Map.of("sessionId", session, "contextTypes", "[\"browser\"]"), null);
        assertThat(badType.code()).isEqualTo("InvalidParameter");
        assertThat(badType.message()).contains("'browser'").contains("file_transfer");

        // TS sends no body at all
        WireClient.Reply noBody = wire.send(
                "POST",
                "/sdk/GetAndLoadInternalContext",
                Map.of("sessionId", session, "contextTypes", "[\"file_transfer\"]"),
                "");
        assertThat(noBody.success()).isTrue();
        wire.release(session);
    }
}
