package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What one session writes, the next one finds — and nothing else leaks between sessions, contexts or keys. */
class PersistenceTest extends ServerTestBase {

    @Test
    void releaseWithSync_thenNewSession_seesTheFilesImmediately() {
        String ctx = wire.context("persist");
        String first = wire.session(ctx, "/home/project", STANDARD_POLICY);
        wire.shell(
                first,
                "mkdir -p /home/project/src/deep && echo one > /home/project/src/a.txt"
                        + " && head -c 300000 /dev/urandom > /home/project/src/deep/blob.bin && mkdir /home/project/empty"
                        + " && chmod 751 /home/project/src && ln -s src/a.txt /home/project/link"
                        + " && sha256sum /home/project/src/deep/blob.bin > /tmp/sum");
        String sum = wire.shell(first, "cat /tmp/sum");
        wire.sync(first);
        wire.release(first);

        String second = wire.session(ctx, "/home/project", STANDARD_POLICY);
        assertThat(wire.shell(second, "cat /home/project/src/a.txt")).isEqualTo("one\n");
        assertThat(wire.shell(second, "sha256sum /home/project/src/deep/blob.bin"))
                .isEqualTo(sum);
        assertThat(wire.shell(second, "stat -c %a /home/project/src")).isEqualTo("751\n");
        assertThat(wire.shell(second, "test -d /home/project/empty && readlink /home/project/link"))
                .isEqualTo("src/a.txt\n");
        wire.release(second);
    }

    @Test
    void releaseWithoutExplicitSync_stillUploadsAutoUploadMounts() {
        String ctx = wire.context("persist-release-only");
        String first = wire.session(ctx, "/tmp/work", DEFAULT_POLICY);
        wire.shell(first, "echo kept > /tmp/work/kept.txt");
        wire.release(first);
        String second = wire.session(ctx, "/tmp/work", DEFAULT_POLICY);
        assertThat(wire.shell(second, "cat /tmp/work/kept.txt")).isEqualTo("kept\n");
        wire.release(second);
    }

    @Test
    void localDeletion_propagatesWithSyncLocalFile_andNotWithout() {
        String ctx = wire.context("deletions");
        String first = wire.session(ctx, "/home/d", STANDARD_POLICY);
        wire.shell(first, "echo a > /home/d/a && echo b > /home/d/b");
        wire.release(first);

        String keepPolicy = "{\"deletePolicy\": {\"syncLocalFile\": false}}";
        String second = wire.session(ctx, "/home/d", keepPolicy);
        wire.shell(second, "rm /home/d/a");
        wire.release(second);
        String third = wire.session(ctx, "/home/d", STANDARD_POLICY);
        assertThat(wire.shell(third, "ls /home/d")).isEqualTo("a\nb\n");
        wire.shell(third, "rm /home/d/a");
        wire.release(third);

        String fourth = wire.session(ctx, "/home/d", STANDARD_POLICY);
        assertThat(wire.shell(fourth, "ls /home/d")).isEqualTo("b\n");
        wire.release(fourth);
    }

    @Test
    void readOnlyMount_isNeverUploadedOnRelease() {
        String ctx = wire.context("read-only");
        String writer = wire.session(ctx, "/home/ro", DEFAULT_POLICY);
        wire.shell(writer, "echo original > /home/ro/f");
        wire.release(writer);
        String reader = wire.session(ctx, "/home/ro", "{\"uploadPolicy\": {\"autoUpload\": false}}");
        assertThat(wire.shell(reader, "cat /home/ro/f")).isEqualTo("original\n");
        wire.shell(reader, "echo changed > /home/ro/f && echo new > /home/ro/g");
        assertThat(wire.sync(reader).findValuesAsText("taskType"))
                .as("an unfiltered sync skips read-only mounts")
                .doesNotContain("upload");
        wire.release(reader);
        String check = wire.session(ctx, "/home/ro", DEFAULT_POLICY);
        assertThat(wire.shell(check, "cat /home/ro/f; ls /home/ro")).isEqualTo("original\nf\n");
        wire.release(check);
    }

    @Test
    void twoSessionsMountingDifferentContextsAtOnePath_neverSeeEachOthersFiles() {
        String a = wire.context("iso-a");
        String b = wire.context("iso-b");
        String sa = wire.session(a, "/home/project", DEFAULT_POLICY);
        String sb = wire.session(b, "/home/project", DEFAULT_POLICY);
        wire.shell(sa, "echo from-a > /home/project/only-a");
        wire.shell(sb, "echo from-b > /home/project/only-b");
        assertThat(wire.shell(sa, "ls /home/project")).isEqualTo("only-a\n");
        assertThat(wire.shell(sb, "ls /home/project")).isEqualTo("only-b\n");
        assertThat(Files.exists(Path.of("/home/project/only-a")))
                .as("host /home untouched")
                .isFalse();
        wire.release(sa);
        wire.release(sb);
        String again = wire.session(b, "/home/project", DEFAULT_POLICY);
        assertThat(wire.shell(again, "ls /home/project")).isEqualTo("only-b\n");
        wire.release(again);
    }

    @Test
    void twoLiveSessions_changingDifferentFiles_bothChangesAreKept() {
        String ctx = wire.context("concurrent");
        String seed = wire.session(ctx, "/home/c", DEFAULT_POLICY);
        wire.shell(seed, "echo 0 > /home/c/x && echo 0 > /home/c/y && echo 0 > /home/c/untouched");
        wire.release(seed);

        String s1 = wire.session(ctx, "/home/c", DEFAULT_POLICY);
        String s2 = wire.session(ctx, "/home/c", DEFAULT_POLICY);
        wire.shell(s1, "echo 1 > /home/c/x");
        wire.shell(s2, "echo 2 > /home/c/y");
        assertThat(status(wire.sync(s1))).isEqualTo("Success");
        assertThat(status(wire.sync(s2))).isEqualTo("Success");
        wire.release(s1);
        wire.release(s2);

        String check = wire.session(ctx, "/home/c", DEFAULT_POLICY);
        assertThat(wire.shell(check, "cat /home/c/x /home/c/y /home/c/untouched"))
                .isEqualTo("1\n2\n0\n");
        wire.release(check);
    }

    @Test
    void staleSession_doesNotClobberAFileItNeverTouched() {
        String ctx = wire.context("stale");
        String seed = wire.session(ctx, "/home/s", DEFAULT_POLICY);
        wire.shell(seed, "echo old > /home/s/shared");
        wire.release(seed);

        String stale = wire.session(ctx, "/home/s", DEFAULT_POLICY); // holds "old", never touches it
        String fresh = wire.session(ctx, "/home/s", DEFAULT_POLICY);
        wire.shell(fresh, "echo new > /home/s/shared");
        wire.release(fresh);
        wire.shell(stale, "echo mine > /home/s/other");
        wire.release(stale);

        String check = wire.session(ctx, "/home/s", DEFAULT_POLICY);
        assertThat(wire.shell(check, "cat /home/s/shared /home/s/other")).isEqualTo("new\nmine\n");
        wire.release(check);
    }

    @Test
    void sameFileChangedByTwoSessions_lastWriterWins_andTheStatusSaysSo() {
        String ctx = wire.context("conflict");
        String seed = wire.session(ctx, "/home/k", DEFAULT_POLICY);
        wire.shell(seed, "echo 0 > /home/k/f");
        wire.release(seed);

        String s1 = wire.session(ctx, "/home/k", DEFAULT_POLICY);
        String s2 = wire.session(ctx, "/home/k", DEFAULT_POLICY);
        wire.shell(s1, "echo first > /home/k/f");
        wire.shell(s2, "echo second > /home/k/f");
        wire.sync(s1);
        JsonNode second = wire.sync(s2);
        assertThat(status(second)).isEqualTo("Success");
        assertThat(upload(second).path("errorMessage").asText())
                .contains("last writer wins")
                .contains("/home/k/f");
        wire.release(s1);
        wire.release(s2);
        String check = wire.session(ctx, "/home/k", DEFAULT_POLICY);
        assertThat(wire.shell(check, "cat /home/k/f")).isEqualTo("second\n");
        wire.release(check);
    }

    @Test
    void explicitDownload_bringsAnotherSessionsCommitIntoALiveSession() {
        String ctx = wire.context("pull");
        String reader = wire.session(ctx, "/home/pull", DEFAULT_POLICY);
        String writer = wire.session(ctx, "/home/pull", DEFAULT_POLICY);
        wire.shell(writer, "echo fresh > /home/pull/news");
        wire.sync(writer);
        WireClient.Reply r = wire.post(
                "/sdk/SyncContext",
                Map.of("sessionId", reader, "contextId", ctx, "path", "/home/pull", "mode", "download"),
                null);
        assertThat(r.success()).isTrue();
        JsonNode tasks = wire.awaitTasks(reader);
        assertThat(tasks.findValuesAsText("taskType")).contains("download");
        assertThat(wire.shell(reader, "cat /home/pull/news")).isEqualTo("fresh\n");
        wire.release(reader);
        wire.release(writer);
    }

    @Test
    void idleTimeout_releasesTheSession_andUploadsLikeAnyRelease() {
        String ctx = wire.context("idle");
        WireClient.Reply created = wire.createSession(Map.of(
                "timeout",
                2,
                "persistenceDataList",
                java.util.List.of(Map.of("contextId", ctx, "path", "/home/idle", "policy", "{}"))));
        String id = created.data().path("sessionId").asText();
        wire.awaitTasks(id);
        wire.shell(id, "echo idle-data > /home/idle/f");
        wire.awaitGone(id, 30_000);
        String next = wire.session(ctx, "/home/idle", DEFAULT_POLICY);
        assertThat(wire.shell(next, "cat /home/idle/f")).isEqualTo("idle-data\n");
        wire.release(next);
    }

    @Test
    void getSessionInfoPolling_doesNotPostponeIdleRelease_butRefreshDoes() {
        String id = wire.createSession(Map.of("timeout", 2))
                .data()
                .path("sessionId")
                .asText();
        String kept = wire.createSession(Map.of("timeout", 2))
                .data()
                .path("sessionId")
                .asText();
        long deadline = System.currentTimeMillis() + 30_000;
        boolean released = false;
        while (!released && System.currentTimeMillis() < deadline) {
            released = !wire.post("/mcp/getSessionInfo", Map.of(), Map.of("sessionId", id))
                    .success();
            assertThat(wire.post("/mcp/refreshSessionIdleTime", Map.of("sessionId", kept), null)
                            .success())
                    .isTrue();
            WireClient.sleep(200);
        }
        assertThat(released).isTrue();
        assertThat(wire.post("/mcp/getSessionInfo", Map.of(), Map.of("sessionId", kept))
                        .success())
                .isTrue();
        wire.release(kept);
    }

    @Test
    void aCommandRunningLongerThanTheIdleTimeout_keepsItsSessionAlive() throws Exception {
        String id = wire.createSession(Map.of("timeout", 1))
                .data()
                .path("sessionId")
                .asText();
        WireClient.Reply slow = wire.tool(id, "shell", Map.of("command", "sleep 3; echo done", "timeout_ms", 10_000));
        assertThat(WireClient.JSON.readTree(slow.toolText()).path("stdout").asText())
                .isEqualTo("done\n");
        assertThat(wire.post("/mcp/getSessionInfo", Map.of(), Map.of("sessionId", id))
                        .success())
                .as("the session was not released while its command ran")
                .isTrue();
        wire.awaitGone(id, 30_000); // and idle release still happens afterwards
    }

    private static String status(JsonNode tasks) {
        return upload(tasks).path("status").asText();
    }

    private static JsonNode upload(JsonNode tasks) {
        for (JsonNode t : tasks) {
            if (t.path("taskType").asText().equals("upload")) {
                return t;
            }
        }
        throw new AssertionError("no upload task in " + tasks);
    }
}
