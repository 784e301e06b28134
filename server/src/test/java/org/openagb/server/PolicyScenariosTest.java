package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whitelists, mapping (Windows paths) and read-only mounts, through the wire. */
class PolicyScenariosTest extends ServerTestBase {

    private static void put(String contextId, String filePath, String content) throws Exception {
        WireClient.Reply r =
                wire.post("/sdk/GetContextFileUploadUrl", Map.of("contextId", contextId, "filePath", filePath), null);
        assertThat(r.success()).as(r.body().toString()).isTrue();
        HttpResponse<String> put = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(r.data().path("url").asText()))
                                .PUT(HttpRequest.BodyPublishers.ofString(content))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
    }

    @Test
    void mappingPolicy_downloadsDataStoredUnderAWindowsPath_atTheMountPath_andUploadsToTheMount() throws Exception {
        String ctx = wire.context("mapping-windows");
        put(ctx, "C:\\Users\\me\\Downloads\\report.txt", "from windows\n");
        WireClient.Reply listed = wire.post(
                "/sdk/DescribeContextFiles",
                Map.of("contextId", ctx, "parentFolderPath", "c:\\Users\\me\\Downloads"),
                null);
        assertThat(listed.data().findValuesAsText("fileName")).containsExactly("report.txt");

        String policy = "{\"mappingPolicy\": {\"path\": \"C:\\\\Users\\\\me\\\\Downloads\"}}";
        String session = wire.session(ctx, "/home/downloads", policy);
        assertThat(wire.shell(session, "cat /home/downloads/report.txt")).isEqualTo("from windows\n");
        wire.shell(session, "echo linux > /home/downloads/new.txt");
        wire.release(session);

        WireClient.Reply mounted = wire.post(
                "/sdk/DescribeContextFiles", Map.of("contextId", ctx, "parentFolderPath", "/home/downloads"), null);
        assertThat(mounted.data().findValuesAsText("fileName")).contains("new.txt");
    }

    @Test
    void whitelist_limitsUploadAndDownload_toItsPathsMinusExcludes() {
        String ctx = wire.context("whitelist");
        String policy = "{\"bwList\": {\"whiteLists\": [{\"path\": \"/src\", \"excludePaths\": [\"/node_modules\","
                + " \"/dist\"]}, {\"path\": \"config\", \"excludePaths\": []},"
                + " {\"path\": \"/home/wl/notes.txt\", \"excludePaths\": []}]}}";
        String first = wire.session(ctx, "/home/wl", policy);
        wire.shell(
                first,
                "cd /home/wl && mkdir -p src/lib src/node_modules/x src/dist config other"
                        + " && echo a > src/lib/a.js && echo b > src/node_modules/x/b.js && echo c > src/dist/c.js"
                        + " && echo d > config/app.json && echo e > other/e && echo n > notes.txt && echo t > top.txt");
        wire.release(first);

        String everything = wire.session(ctx, "/home/wl", DEFAULT_POLICY);
        assertThat(wire.shell(everything, "cd /home/wl && find . -type f | sort"))
                .isEqualTo("./config/app.json\n./notes.txt\n./src/lib/a.js\n");
        wire.shell(everything, "echo z > /home/wl/src/lib/z.js && echo y > /home/wl/unlisted.txt");
        wire.release(everything);

        String onlyConfig = wire.session(
                ctx,
                "/home/wl",
                "{\"uploadPolicy\": {\"autoUpload\": false}, \"bwList\": {\"whiteLists\": [{\"path\": \"/config\"}]}}");
        assertThat(wire.shell(onlyConfig, "cd /home/wl && find . -type f | sort"))
                .isEqualTo("./config/app.json\n");
        wire.release(onlyConfig);
    }

    @Test
    void anEditThatKeepsTheSizeAndRestoresTheMtime_isUploadedByTheRelease() {
        String ctx = wire.context("ctime-edit");
        String first = wire.session(ctx, "/home/ct", DEFAULT_POLICY);
        wire.shell(first, "printf AAAA > /home/ct/f && touch -d @1600000000 /home/ct/f");
        wire.release(first);

        String editor = wire.session(ctx, "/home/ct", DEFAULT_POLICY);
        assertThat(wire.shell(editor, "cat /home/ct/f")).isEqualTo("AAAA");
        wire.shell(editor, "printf BBBB > /home/ct/f && touch -d @1600000000 /home/ct/f");
        wire.release(editor);

        String check = wire.session(ctx, "/home/ct", DEFAULT_POLICY);
        assertThat(wire.shell(check, "cat /home/ct/f; stat -c ' %s %Y' /home/ct/f"))
                .isEqualTo("BBBB 4 1600000000\n");
        wire.release(check);
    }

    @Test
    void readOnlyMount_isStillUploadedByAnExplicitContextAndPathSync() {
        String ctx = wire.context("read-only-explicit");
        String session = wire.session(ctx, "/home/ro2", "{\"uploadPolicy\": {\"autoUpload\": false}}");
        wire.shell(session, "echo explicit > /home/ro2/f");
        WireClient.Reply sync = wire.post(
                "/sdk/SyncContext", Map.of("sessionId", session, "contextId", ctx, "path", "/home/ro2"), null);
        assertThat(sync.success()).isTrue();
        assertThat(wire.awaitTasks(session).findValuesAsText("status")).containsOnly("Success");
        wire.release(session);
        String check = wire.session(ctx, "/home/ro2", DEFAULT_POLICY);
        assertThat(wire.shell(check, "cat /home/ro2/f")).isEqualTo("explicit\n");
        wire.release(check);
    }

    @Test
    void recyclePolicy_withAnInvalidLifecycle_isRejectedNamingTheValue() {
        String ctx = wire.context("recycle-invalid");
        WireClient.Reply r = wire.createSession(Map.of(
                "persistenceDataList",
                java.util.List.of(Map.of(
                        "contextId",
                        ctx,
                        "path",
                        "/home/r",
                        "policy",
                        "{\"recyclePolicy\": {\"lifecycle\": \"Lifecycle_7Days\", \"paths\": [\"\"]}}"))));
        assertThat(r.code()).isEqualTo("InvalidParameter");
        assertThat(r.message()).contains("'Lifecycle_7Days'").contains("Lifecycle_30Days");
    }
}
