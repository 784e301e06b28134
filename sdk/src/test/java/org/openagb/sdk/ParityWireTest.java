package org.openagb.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openagb.sdk.FakeAgbServer.ok;
import static org.openagb.sdk.FakeAgbServer.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.sdk.internal.Json;

/** Request shapes of the context-file, file-transfer, session and code APIs against a scripted server (WIRE.md). */
class ParityWireTest {
    private final FakeAgbServer server = newServer();
    private final AGB agb = AGB.builder()
            .apiKey("key-1")
            .endpoint(server.endpoint())
            .pollInterval(Duration.ofMillis(1))
            .build();

    @TempDir
    Path tmp;

    private static FakeAgbServer newServer() {
        try {
            return new FakeAgbServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Session session() {
        server.on("/mcp/createSession", ok("r-c", "{\"sessionId\":\"s-1\",\"success\":true}"));
        return agb.create().session();
    }

    private static String contextStatus(String contextId, String path, String taskType, String status, String error) {
        String item = "{\"contextId\":\"" + contextId + "\",\"path\":\"" + path + "\",\"errorMessage\":\"" + error
                + "\",\"status\":\"" + status + "\",\"startTime\":1,\"finishTime\":2,\"taskType\":\"" + taskType
                + "\"}";
        String outer = "[{\"type\":\"data\",\"data\":" + Json.write("[" + item + "]") + "}]";
        return "{\"contextStatus\":" + Json.write(outer) + "}";
    }

    private static JsonNode args(FakeAgbServer.Request request) {
        try {
            return Json.MAPPER.readTree(
                    Json.MAPPER.readTree(request.body()).path("args").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- context files ---

    @Test
    void fileUrls_postTheQueryAndParseUrlAndExpireTime() {
        server.on("/sdk/GetContextFileUploadUrl", ok("r-u", "{\"url\":\"http://h/files/t1\",\"expireTime\":3600}"));
        server.on("/sdk/GetContextFileDownloadUrl", ok("r-d", "{\"url\":\"http://h/files/t2\",\"expireTime\":60}"));

        FileUrlResult upload = agb.context().getFileUploadUrl("SdkCtx-1", "/home/data/a b.txt");
        FileUrlResult download = agb.context().getFileDownloadUrl("SdkCtx-1", "/home/data/a b.txt");

        assertThat(upload).isEqualTo(new FileUrlResult(true, "r-u", "", "http://h/files/t1", 3600));
        assertThat(download).isEqualTo(new FileUrlResult(true, "r-d", "", "http://h/files/t2", 60));
        FakeAgbServer.Request request =
                server.requests("/sdk/GetContextFileUploadUrl").get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.body()).isEqualTo("{}");
        assertThat(request.rawQuery()).isEqualTo("contextId=SdkCtx-1&filePath=%2Fhome%2Fdata%2Fa+b.txt");
        assertThat(server.requests("/sdk/GetContextFileDownloadUrl").get(0).query())
                .isEqualTo(Map.of("contextId", "SdkCtx-1", "filePath", "/home/data/a b.txt"));
    }

    @Test
    void downloadUrlOfAMissingFile_failsWithTheServerMessage() {
        server.on(
                "/sdk/GetContextFileDownloadUrl",
                "{\"success\":false,\"code\":\"InvalidContextFile.NotFound\",\"message\":\"File '/x' not found\","
                        + "\"requestId\":\"r-n\"}");

        FileUrlResult result = agb.context().getFileDownloadUrl("SdkCtx-1", "/x");

        assertThat(result)
                .isEqualTo(new FileUrlResult(false, "r-n", "[InvalidContextFile.NotFound] File '/x' not found", "", 0));
    }

    @Test
    void fileApis_refuseBlankArgumentsBeforeAnyRequest() {
        assertThatThrownBy(() -> agb.context().getFileUploadUrl("", "/a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot get upload URL of context '': the id is blank");
        assertThatThrownBy(() -> agb.context().getFileDownloadUrl("SdkCtx-1", " "))
                .hasMessageStartingWith("Cannot get download URL of file ' ': the path is blank");
        assertThatThrownBy(() -> agb.context().deleteFile("SdkCtx-1", null))
                .hasMessageStartingWith("Cannot delete file 'null'");
        assertThatThrownBy(() -> agb.context().listFiles("SdkCtx-1", "/", 0, 10))
                .hasMessageContaining("both must be at least 1");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void listFiles_sendsPagingAsStringsAndReadsTheArrayAndTopLevelCount() {
        server.on(
                "/sdk/DescribeContextFiles",
                "{\"success\":true,\"code\":\"ok\",\"message\":\"\",\"httpStatusCode\":200,\"requestId\":\"r-l\","
                        + "\"count\":3,\"data\":[{\"fileId\":\"f-1\",\"fileName\":\"test-file-5kb.txt\","
                        + "\"filePath\":\"/tmp/test/test-file-5kb.txt\",\"fileType\":\"file\","
                        + "\"gmtCreate\":\"2025-01-01T00:00:00Z\",\"gmtModified\":\"2025-01-02T00:00:00Z\","
                        + "\"size\":5120,\"status\":\"ready\"},{\"fileId\":\"f-2\",\"fileName\":\"sub\","
                        + "\"filePath\":\"/tmp/test/sub\",\"fileType\":\"folder\",\"size\":0}]}");

        ContextFileListResult result = agb.context().listFiles("SdkCtx-1", "/tmp/test", 2, 2);

        assertThat(result.success()).isTrue();
        assertThat(result.requestId()).isEqualTo("r-l");
        assertThat(result.count()).isEqualTo(3);
        assertThat(result.entries())
                .containsExactly(
                        new ContextFileEntry(
                                "f-1",
                                "test-file-5kb.txt",
                                "/tmp/test/test-file-5kb.txt",
                                "file",
                                "2025-01-01T00:00:00Z",
                                "2025-01-02T00:00:00Z",
                                5120,
                                "ready"),
                        new ContextFileEntry("f-2", "sub", "/tmp/test/sub", "folder", "", "", 0, ""));
        assertThat(result.entries().get(1).folder()).isTrue();
        FakeAgbServer.Request request =
                server.requests("/sdk/DescribeContextFiles").get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawQuery())
                .isEqualTo("contextId=SdkCtx-1&parentFolderPath=%2Ftmp%2Ftest&pageNumber=2&pageSize=2");
    }

    @Test
    void listFilesOfTheRoot_omitsParentFolderPathAndDefaultsToPageOneOfFifty() {
        server.on("/sdk/DescribeContextFiles", ok("r-l", "[]"));

        ContextFileListResult result = agb.context().listFiles("SdkCtx-1", null);

        assertThat(result).isEqualTo(new ContextFileListResult(true, "r-l", "", List.of(), 0));
        assertThat(server.requests("/sdk/DescribeContextFiles").get(0).query())
                .isEqualTo(Map.of("contextId", "SdkCtx-1", "pageNumber", "1", "pageSize", "50"));
    }

    @Test
    void deleteFile_postsTheQuery() {
        server.on("/sdk/DeleteContextFile", ok("r-x", null));

        OperationResult result = agb.context().deleteFile("SdkCtx-1", "/tmp/a.txt");

        assertThat(result).isEqualTo(new OperationResult(true, "r-x", ""));
        FakeAgbServer.Request request =
                server.requests("/sdk/DeleteContextFile").get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.query()).isEqualTo(Map.of("contextId", "SdkCtx-1", "filePath", "/tmp/a.txt"));
    }

    @Test
    void clear_postsClearContextThenPollsGetContextByIdUntilAvailable() {
        server.on("/sdk/ClearContext", ok("r-c", null));
        server.on(
                "/sdk/GetContext",
                ok("r-g1", "{\"id\":\"SdkCtx-1\",\"name\":\"n\",\"state\":\"clearing\"}"),
                ok("r-g2", "{\"id\":\"SdkCtx-1\",\"name\":\"n\",\"state\":\"available\"}"));

        ClearResult result = agb.context().clear("SdkCtx-1");

        assertThat(result).isEqualTo(new ClearResult(true, "r-g2", "", "SdkCtx-1", "available"));
        assertThat(server.requests("/sdk/ClearContext").get(0).query()).isEqualTo(Map.of("id", "SdkCtx-1"));
        assertThat(server.requests("/sdk/GetContext"))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.query()).isEqualTo(Map.of("id", "SdkCtx-1", "allowCreate", "false")));
    }

    // --- file transfer ---

    @Test
    void dir_followsWire67() {
        assertThat(FileTransfer.dir("/tmp/a.txt")).isEqualTo("/tmp");
        assertThat(FileTransfer.dir("/a.txt")).isEqualTo("/");
        assertThat(FileTransfer.dir("/tmp/dir/")).isEqualTo("/tmp/dir");
        assertThat(FileTransfer.dir("/")).isEqualTo("/");
        assertThat(FileTransfer.dir("a.txt")).isNull();
    }

    @Test
    void upload_loadsTheContextOncePutsTheBytesThenSyncsDirDownAndWaits() throws Exception {
        Session session = session();
        byte[] bytes = new byte[200_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Path local = Files.write(tmp.resolve("in.bin"), bytes);
        server.on(
                "/sdk/GetAndLoadInternalContext",
                ok(
                        "r-ctx",
                        "[{\"contextId\":\"ft-1\",\"contextType\":\"file_transfer\","
                                + "\"contextPath\":\"/tmp/file_transfer\"}]"));
        server.on(
                "/sdk/GetContextFileUploadUrl",
                ok("r-url", "{\"url\":\"" + server.endpoint() + "/files/up\",\"expireTime\":3600}"));
        server.onRaw("/files/up", 200, new byte[0]);
        server.on("/sdk/SyncContext", ok("r-sync", null));
        server.on("/sdk/GetContextInfo", ok("r-i", contextStatus("ft-1", "/home/u", "download", "Success", "")));
        List<long[]> events = new ArrayList<>();

        FileTransferResult first =
                session.file().upload(local, "/home/u/out.bin", (done, total) -> events.add(new long[] {done, total}));
        FileTransferResult second = session.file().upload(local, "/home/u/again.bin");

        assertThat(first).isEqualTo(new FileTransferResult(true, "r-url", "r-sync", "", 200_000));
        assertThat(second.success()).isTrue();
        assertThat(server.requests("/sdk/GetAndLoadInternalContext")).hasSize(1);
        FakeAgbServer.Request load =
                server.requests("/sdk/GetAndLoadInternalContext").get(0);
        assertThat(load.method()).isEqualTo("POST");
        assertThat(load.query()).isEqualTo(Map.of("sessionId", "s-1", "contextTypes", "[\"file_transfer\"]"));
        assertThat(server.requests("/sdk/GetContextFileUploadUrl").get(0).query())
                .isEqualTo(Map.of("contextId", "ft-1", "filePath", "/home/u/out.bin"));
        FakeAgbServer.Request put = server.requests("/files/up").get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.headers()).doesNotContainKey("authorization").containsEntry("content-length", "200000");
        assertThat(put.bytes()).isEqualTo(bytes);
        assertThat(server.requests("/sdk/SyncContext").get(0).query())
                .isEqualTo(Map.of("sessionId", "s-1", "contextId", "ft-1", "path", "/home/u", "mode", "download"));
        assertThat(server.requests("/sdk/GetContextInfo").stream().map(FakeAgbServer.Request::query))
                .contains(Map.of("sessionId", "s-1", "contextId", "ft-1", "path", "/home/u", "taskType", "download"));
        assertThat(events).isNotEmpty();
        assertThat(events.get(events.size() - 1)).containsExactly(200_000, 200_000);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i)[0]).isGreaterThanOrEqualTo(events.get(i - 1)[0]);
        }
    }

    @Test
    void uploadOfAMissingFile_failsWithoutAnyRequest() {
        Session session = session();
        Path missing = tmp.resolve("nope.txt");

        FileTransferResult result = session.file().upload(missing, "/tmp/nope.txt");

        assertThat(result)
                .isEqualTo(new FileTransferResult(
                        false, "", "", "Cannot upload '" + missing + "': no such file (check the local path)", 0));
        assertThat(server.requests()).hasSize(1); // createSession only
    }

    @Test
    void uploadToARelativePath_isRefused() throws Exception {
        Session session = session();
        Path local = Files.writeString(tmp.resolve("a.txt"), "a");

        assertThatThrownBy(() -> session.file().upload(local, "a.txt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it is not an absolute file path in the session");
    }

    @Test
    void uploadWhoseTaskReportsAnError_fails() throws Exception {
        Session session = session();
        Path local = Files.writeString(tmp.resolve("a.txt"), "hello");
        server.on(
                "/sdk/GetAndLoadInternalContext",
                ok(
                        "r-ctx",
                        "[{\"contextId\":\"ft-1\",\"contextType\":\"file_transfer\","
                                + "\"contextPath\":\"/tmp/file_transfer\"}]"));
        server.on("/sdk/GetContextFileUploadUrl", ok("r-url", "{\"url\":\"" + server.endpoint() + "/files/up\"}"));
        server.onRaw("/files/up", 200, new byte[0]);
        server.on("/sdk/SyncContext", ok("r-sync", null));
        server.on("/sdk/GetContextInfo", ok("r-i", contextStatus("ft-1", "/tmp", "download", "Success", "disk full")));

        FileTransferResult result = session.file().upload(local, "/tmp/a.txt");

        assertThat(result.success()).isFalse();
        assertThat(result.requestId()).isEqualTo("r-url");
        assertThat(result.syncRequestId()).isEqualTo("r-sync");
        assertThat(result.errorMessage())
                .isEqualTo("Cannot upload '" + local + "' to '/tmp/a.txt': the download task of '/tmp' failed: disk"
                        + " full");
    }

    @Test
    void download_syncsDirUpThenStreamsIntoATempFileAndMovesIt() throws Exception {
        Session session = session();
        byte[] bytes = "remote content\n".repeat(1000).getBytes();
        server.on(
                "/sdk/GetAndLoadInternalContext",
                ok(
                        "r-ctx",
                        "[{\"contextId\":\"ft-1\",\"contextType\":\"file_transfer\","
                                + "\"contextPath\":\"/tmp/file_transfer\"}]"));
        server.on("/sdk/SyncContext", ok("r-sync", null));
        server.on("/sdk/GetContextInfo", ok("r-i", contextStatus("ft-1", "/data", "upload", "Success", "")));
        server.on(
                "/sdk/GetContextFileDownloadUrl",
                ok("r-url", "{\"url\":\"" + server.endpoint() + "/files/down\",\"expireTime\":3600}"));
        server.onRaw("/files/down", 200, bytes);
        Path local = tmp.resolve("sub/dir/out.txt");
        List<long[]> events = new ArrayList<>();

        FileTransferResult result =
                session.file().download("/data/f.txt", local, (done, total) -> events.add(new long[] {done, total}));

        assertThat(result).isEqualTo(new FileTransferResult(true, "r-url", "r-sync", "", bytes.length));
        assertThat(Files.readAllBytes(local)).isEqualTo(bytes);
        try (var files = Files.list(local.getParent())) {
            assertThat(files).containsExactly(local);
        }
        assertThat(server.requests("/sdk/SyncContext").get(0).query())
                .isEqualTo(Map.of("sessionId", "s-1", "contextId", "ft-1", "path", "/data", "mode", "upload"));
        assertThat(server.requests("/sdk/GetContextInfo").stream().map(FakeAgbServer.Request::query))
                .contains(Map.of("sessionId", "s-1", "contextId", "ft-1", "path", "/data", "taskType", "upload"));
        assertThat(server.requests("/sdk/GetContextFileDownloadUrl").get(0).query())
                .isEqualTo(Map.of("contextId", "ft-1", "filePath", "/data/f.txt"));
        FakeAgbServer.Request get = server.requests("/files/down").get(0);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.headers()).doesNotContainKey("authorization");
        assertThat(events.get(events.size() - 1)).containsExactly(bytes.length, bytes.length);
    }

    @Test
    void downloadAnswered404_leavesTheLocalFileUntouched() throws Exception {
        Session session = session();
        server.on(
                "/sdk/GetAndLoadInternalContext",
                ok(
                        "r-ctx",
                        "[{\"contextId\":\"ft-1\",\"contextType\":\"file_transfer\","
                                + "\"contextPath\":\"/tmp/file_transfer\"}]"));
        server.on("/sdk/SyncContext", ok("r-sync", null));
        server.on("/sdk/GetContextInfo", ok("r-i", contextStatus("ft-1", "/data", "upload", "Success", "")));
        server.on("/sdk/GetContextFileDownloadUrl", ok("r-url", "{\"url\":\"" + server.endpoint() + "/files/gone\"}"));
        server.onRaw("/files/gone", 404, "missing".getBytes());
        Path local = Files.writeString(tmp.resolve("keep.txt"), "old");

        FileTransferResult result = session.file().download("/data/f.txt", local);

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage()).contains("the download URL answered HTTP 404");
        assertThat(Files.readString(local)).isEqualTo("old");
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactly(local);
        }
    }

    @Test
    void transferWithoutAnInternalContext_fails() throws Exception {
        Session session = session();
        server.on("/sdk/GetAndLoadInternalContext", ok("r-ctx", "[]"));
        Path local = Files.writeString(tmp.resolve("a.txt"), "a");

        FileTransferResult result = session.file().upload(local, "/tmp/a.txt");

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage()).contains("the server returned no file transfer context for session 's-1'");
    }

    // --- sessions ---

    @Test
    void list_getsListSessionWithLabelsJsonAndReadsTopLevelPaging() {
        server.on(
                "/sdk/ListSession",
                "{\"success\":true,\"code\":\"ok\",\"message\":\"\",\"httpStatusCode\":200,\"requestId\":\"r-l\","
                        + "\"data\":[{\"sessionId\":\"s-1\",\"sessionStatus\":\"RUNNING\"},"
                        + "{\"sessionId\":\"s-2\",\"sessionStatus\":\"DELETING\"}],"
                        + "\"nextToken\":\"t-2\",\"maxResults\":2,\"count\":5}");

        SessionListResult result = agb.list(Map.of("project", "x y"), 1, 2);

        assertThat(result)
                .isEqualTo(new SessionListResult(
                        true,
                        "r-l",
                        "",
                        List.of(new SessionSummary("s-1", "RUNNING"), new SessionSummary("s-2", "DELETING")),
                        "t-2",
                        2,
                        5));
        assertThat(result.sessionIds()).containsExactly("s-1", "s-2");
        FakeAgbServer.Request request = server.requests("/sdk/ListSession").get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.query()).isEqualTo(Map.of("labels", "{\"project\":\"x y\"}", "maxResults", "2"));
        assertThat(request.rawQuery()).contains("labels=%7B%22project%22%3A%22x+y%22%7D");
    }

    @Test
    void listWithoutArguments_sendsEmptyLabelsAndTen() {
        server.on("/sdk/ListSession", ok("r-l", "[]"));

        SessionListResult result = agb.list();

        assertThat(result.success()).isTrue();
        assertThat(result.totalCount()).isZero();
        assertThat(server.requests("/sdk/ListSession").get(0).query())
                .isEqualTo(Map.of("labels", "{}", "maxResults", "10"));
    }

    @Test
    void listPageThree_walksTheTokensOfPagesOneAndTwo() {
        server.on(
                "/sdk/ListSession",
                "{\"success\":true,\"requestId\":\"r-1\",\"data\":[{\"sessionId\":\"a\"}],\"nextToken\":\"t2\","
                        + "\"count\":3}",
                "{\"success\":true,\"requestId\":\"r-2\",\"data\":[{\"sessionId\":\"b\"}],\"nextToken\":\"t3\","
                        + "\"count\":3}",
                "{\"success\":true,\"requestId\":\"r-3\",\"data\":[{\"sessionId\":\"c\",\"sessionStatus\":\"RUNNING\"}],"
                        + "\"nextToken\":\"\",\"count\":3}");

        SessionListResult result = agb.list(Map.of(), 3, 1);

        assertThat(result.success()).isTrue();
        assertThat(result.requestId()).isEqualTo("r-3");
        assertThat(result.sessionIds()).containsExactly("c");
        assertThat(result.nextToken()).isEmpty();
        assertThat(server.requests("/sdk/ListSession").stream()
                        .map(r -> r.query().get("nextToken")))
                .containsExactly(null, "t2", "t3");
    }

    @Test
    void listPastTheLastPage_failsWithNoMorePagesAvailable() {
        server.on(
                "/sdk/ListSession",
                "{\"success\":true,\"requestId\":\"r-1\",\"data\":[{\"sessionId\":\"a\"}],\"nextToken\":\"\","
                        + "\"count\":1}");

        SessionListResult result = agb.list(Map.of(), 2, 10);

        assertThat(result.success()).isFalse();
        assertThat(result.errorMessage()).startsWith("Cannot reach page 2: No more pages available");
        assertThat(result.totalCount()).isEqualTo(1);
        assertThat(server.requests("/sdk/ListSession")).hasSize(1);
    }

    @Test
    void list_refusesPageZero() {
        assertThatThrownBy(() -> agb.list(Map.of(), 0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot reach page 0");
    }

    @Test
    void setLabels_postsCapitalLabelsAsJson_andLabelsParsesTheJsonString() throws Exception {
        Session session = session();
        server.on("/sdk/SetLabel", ok("r-s", null));
        server.on("/sdk/GetLabel", ok("r-g", "{\"labels\":" + Json.write("{\"env\":\"dev\",\"team\":\"a b\"}") + "}"));

        OperationResult set = session.setLabels(Map.of("env", "dev"));
        LabelsResult labels = session.labels();

        assertThat(set).isEqualTo(new OperationResult(true, "r-s", ""));
        FakeAgbServer.Request request = server.requests("/sdk/SetLabel").get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.query()).isEqualTo(Map.of("sessionId", "s-1", "Labels", "{\"env\":\"dev\"}"));
        assertThat(labels).isEqualTo(new LabelsResult(true, "r-g", "", Map.of("env", "dev", "team", "a b")));
        FakeAgbServer.Request get = server.requests("/sdk/GetLabel").get(0);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.query()).isEqualTo(Map.of("sessionId", "s-1"));
    }

    @Test
    void setLabels_refusesEmptyMapsAndBlankValues() {
        Session session = session();

        assertThatThrownBy(() -> session.setLabels(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("there are none");
        assertThatThrownBy(() -> session.setLabels(Map.of("k", " ")))
                .hasMessageContaining("keys and values must not be blank");
    }

    @Test
    void keepAlive_postsRefreshWithTheSessionInTheQueryAndAnEmptyBody() {
        Session session = session();
        server.on("/mcp/refreshSessionIdleTime", ok("r-k", null));

        assertThat(session.keepAlive()).isEqualTo(new OperationResult(true, "r-k", ""));
        FakeAgbServer.Request request =
                server.requests("/mcp/refreshSessionIdleTime").get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.query()).isEqualTo(Map.of("sessionId", "s-1"));
        assertThat(request.body()).isEqualTo("{}");
    }

    @Test
    void status_postsGetSessionInfo_andReportsNotFound() {
        Session session = session();
        server.on(
                "/mcp/getSessionInfo",
                ok("r-s", "{\"status\":\"RUNNING\"}"),
                "{\"success\":false,\"code\":\"InvalidMcpSession.NotFound\",\"message\":\"Session s-1 not found\","
                        + "\"httpStatusCode\":400,\"requestId\":\"r-n\"}");

        assertThat(session.status()).isEqualTo(new SessionStatusResult(true, "r-s", "", "RUNNING"));
        assertThat(session.status())
                .isEqualTo(new SessionStatusResult(
                        false, "r-n", "[InvalidMcpSession.NotFound] Session s-1 not found", ""));
        assertThat(server.requests("/mcp/getSessionInfo").get(0).body()).isEqualTo("{\"sessionId\":\"s-1\"}");
    }

    @Test
    void info_postsGetMcpResourceAndReadsDesktopInfo() {
        Session session = session();
        server.on(
                "/mcp/getMcpResource",
                ok(
                        "r-i",
                        "{\"sessionId\":\"s-1\",\"resourceUrl\":\"http://h/r?resourceId=x\",\"desktopInfo\":"
                                + "{\"appId\":\"app\",\"authCode\":\"ac\",\"connectionProperties\":\"cp\","
                                + "\"resourceId\":\"rid\",\"resourceType\":\"rt\",\"ticket\":\"tk\"}}"));

        SessionInfoResult info = session.info();

        assertThat(info)
                .isEqualTo(new SessionInfoResult(
                        true, "r-i", "", "s-1", "http://h/r?resourceId=x", "app", "ac", "cp", "rid", "rt", "tk"));
        assertThat(server.requests("/mcp/getMcpResource").get(0).body()).isEqualTo("{\"sessionId\":\"s-1\"}");
    }

    @Test
    void listMcpTools_postsTheImageIdAndParsesTheStringArray() {
        Session session = session();
        String tools = "[{\"name\":\"shell\",\"description\":\"Run a command\",\"inputSchema\":{\"type\":\"object\"},"
                + "\"server\":\"wuying_shell\",\"tool\":\"shell\"}]";
        server.on("/mcp/listTools", ok("r-t", Json.write(tools)));

        McpToolsResult result = session.listMcpTools();

        assertThat(result.success()).isTrue();
        assertThat(result.tools())
                .containsExactly(new McpTool(
                        "shell", "Run a command", Json.parseOrNull("{\"type\":\"object\"}"), "wuying_shell", "shell"));
        FakeAgbServer.Request request = server.requests("/mcp/listTools").get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.query()).isEqualTo(Map.of("imageId", "agb-code-space-1"));
        assertThat(request.body()).isEqualTo("{}");
    }

    @Test
    void getSession_remembersTheImageIdTheServerReports() {
        server.on("/mcp/getSession", ok("r-g", "{\"sessionId\":\"s-9\",\"imageId\":\"agb-code-space-2\"}"));

        assertThat(agb.get("s-9").session().imageId()).isEqualTo("agb-code-space-2");
    }

    // --- code ---

    @Test
    void run_normalisesTheLanguageAndSendsTimeoutS() throws Exception {
        Session session = session();
        server.on(
                "/mcp",
                tool(
                        "r-r",
                        false,
                        "{\"result\":[{\"text/plain\":\"42\",\"isMainResult\":true}],\"stdout\":[],\"stderr\":[],"
                                + "\"executionError\":\"\",\"execution_count\":2,\"execution_time\":0.01}"));

        CodeRunResult result = session.code().run("x + 1", "Python3", 5);

        assertThat(result.success()).isTrue();
        assertThat(result.requestId()).isEqualTo("r-r");
        assertThat(result.mainResult().flatMap(CodeResultItem::text)).contains("42");
        assertThat(result.executionCount()).isEqualTo(2);
        FakeAgbServer.Request call = server.requests("/mcp").get(0);
        assertThat(Json.MAPPER.readTree(call.body()).path("name").asText()).isEqualTo("run_code");
        assertThat(args(call))
                .isEqualTo(Json.parseOrNull("{\"code\":\"x + 1\",\"language\":\"python\",\"timeout_s\":5}"));
        assertThat(args(call).fieldNames()).toIterable().containsExactly("code", "language", "timeout_s");
    }

    @Test
    void runWithTheDefaultTimeout_sendsSixty() {
        Session session = session();
        server.on("/mcp", tool("r-r", false, "{\"result\":[]}"));

        session.code().run("1", "js");

        assertThat(args(server.requests("/mcp").get(0)).path("timeout_s").asInt())
                .isEqualTo(60);
        assertThat(args(server.requests("/mcp").get(0)).path("language").asText())
                .isEqualTo("javascript");
    }

    @Test
    void language_isNormalisedLikeTheOfficialSdk() {
        assertThat(Code.language("py")).isEqualTo("python");
        assertThat(Code.language("PYTHON3")).isEqualTo("python");
        assertThat(Code.language("node")).isEqualTo("javascript");
        assertThat(Code.language("NodeJS")).isEqualTo("javascript");
        assertThat(Code.language("JavaScript")).isEqualTo("javascript");
        assertThat(Code.language("Java")).isEqualTo("java");
        assertThat(Code.language("R")).isEqualTo("r");
        assertThatThrownBy(() -> Code.language("cobol"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot run code in language 'cobol': it is not supported (use one of python,"
                        + " javascript, java, r; aliases py, python3, js, node, nodejs)");
    }

    @Test
    void runWithAnUnsupportedLanguageOrTimeout_sendsNothing() {
        Session session = session();

        assertThatThrownBy(() -> session.code().run("1", "ruby")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> session.code().run("1", "python", 0)).hasMessageContaining("it must be positive");
        assertThat(server.requests("/mcp")).isEmpty();
    }

    @Test
    void runLongerThanTheClientTimeout_waitsForTheTool() {
        AGB impatient = AGB.builder()
                .apiKey("key-1")
                .endpoint(server.endpoint())
                .timeout(Duration.ofMillis(300))
                .build();
        server.on("/mcp/createSession", ok("r-c", "{\"sessionId\":\"s-1\"}"));
        Session session = impatient.create().session();
        server.on("/mcp", tool("r-r", false, "{\"result\":[{\"text/plain\":\"1\",\"isMainResult\":true}]}"));
        server.delay("/mcp", Duration.ofMillis(800));

        CodeRunResult result = session.code().run("1", "python", 5);

        assertThat(result.success()).as(result.errorMessage()).isTrue();
    }
}
