package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openagb.sync.VersionRetention;

/**
 * Context versions through the real server: the extension endpoints, a restore compared byte for byte in a fresh
 * session, a past version mounted read-only, the errors, and another key's attempts.
 */
class ContextVersionsTest extends ServerTestBase {
    static final VersionRetention VERSION_RETENTION = new VersionRetention(3, Duration.ZERO);

    /** Paths, modes, sizes and SHA-256 of every file under {@code dir} in the session, sorted. */
    static final String FINGERPRINT = "cd %s && find . -printf '%%y %%m %%s %%p\\n' | sort"
            + " && find . -type f -print0 | sort -z | xargs -0 sha256sum";

    static List<Long> generations(WireClient.Reply list) {
        List<Long> out = new ArrayList<>();
        for (JsonNode v : list.data()) {
            out.add(v.path("generation").asLong());
        }
        return out;
    }

    WireClient.Reply versions(String ctx) {
        return wire.get("/sdk/ListContextVersions", Map.of("contextId", ctx));
    }

    @Test
    void uploads_areListedAsVersions_newestFirst_withSizes_andTheCurrentOneMarked() {
        String ctx = wire.context("versions-list");
        String s = wire.session(ctx, "/home/v", DEFAULT_POLICY);
        wire.shell(s, "printf abc > /home/v/a.txt");
        wire.sync(s);
        wire.shell(s, "printf defgh > /home/v/b.txt");
        wire.sync(s);
        wire.release(s);

        WireClient.Reply list = versions(ctx);

        assertThat(list.success()).as(list.body().toString()).isTrue();
        assertThat(generations(list)).containsExactly(2L, 1L);
        JsonNode newest = list.data().get(0);
        assertThat(newest.path("fileCount").asLong()).isEqualTo(2);
        assertThat(newest.path("totalBytes").asLong()).isEqualTo(8);
        assertThat(newest.path("current").asBoolean()).isTrue();
        assertThat(list.data().get(1).path("current").asBoolean()).isFalse();
        assertThat(newest.path("committedTime").asText()).endsWith("Z");
        assertThat(list.body().path("totalCount").asInt()).isEqualTo(2);
        WireClient.Reply page = wire.get("/sdk/ListContextVersions", Map.of("contextId", ctx, "maxResults", "1"));
        WireClient.Reply rest = wire.get(
                "/sdk/ListContextVersions",
                Map.of(
                        "contextId",
                        ctx,
                        "maxResults",
                        "1",
                        "nextToken",
                        page.body().path("nextToken").asText()));
        assertThat(generations(page)).containsExactly(2L);
        assertThat(generations(rest)).containsExactly(1L);
        assertThat(rest.body().path("nextToken").asText()).isEmpty();
    }

    @Test
    void diff_showsAddedRemovedAndChangedPaths_withSizes_paged() {
        String ctx = wire.context("versions-diff");
        String s = wire.session(ctx, "/home/d", DEFAULT_POLICY);
        wire.shell(s, "printf 1 > /home/d/keep && printf 22 > /home/d/change && printf 333 > /home/d/gone");
        wire.sync(s);
        wire.shell(s, "rm /home/d/gone && printf 4444 > /home/d/change && printf 55555 > /home/d/new");
        wire.sync(s);
        wire.release(s);

        WireClient.Reply diff = wire.post(
                "/sdk/DiffContextVersions", Map.of("contextId", ctx, "fromGeneration", "1", "toGeneration", "2"), null);
        List<String> paged = new ArrayList<>();
        String token = "";
        do {
            Map<String, String> q = new LinkedHashMap<>(
                    Map.of("contextId", ctx, "fromGeneration", "1", "toGeneration", "2", "maxResults", "1"));
            if (!token.isEmpty()) {
                q.put("nextToken", token);
            }
            WireClient.Reply page = wire.post("/sdk/DiffContextVersions", q, null);
            page.data().forEach(c -> paged.add(c.path("path").asText()));
            token = page.body().path("nextToken").asText();
        } while (!token.isEmpty());

        assertThat(diff.success()).as(diff.body().toString()).isTrue();
        List<String> lines = new ArrayList<>();
        for (JsonNode c : diff.data()) {
            lines.add(c.path("change").asText() + " " + c.path("path").asText() + " "
                    + c.path("sizeBefore").asText() + " -> "
                    + c.path("sizeAfter").asText());
        }
        assertThat(lines)
                .containsExactly(
                        "changed /home/d/change 2 -> 4",
                        "removed /home/d/gone 3 -> null",
                        "added /home/d/new null -> 5");
        assertThat(paged).containsExactly("/home/d/change", "/home/d/gone", "/home/d/new");
    }

    @Test
    void restore_makesTheOldVersionCurrent_andAFreshSessionGetsItByteForByte() {
        String ctx = wire.context("versions-restore");
        String s = wire.session(ctx, "/home/r", DEFAULT_POLICY);
        wire.shell(
                s,
                "mkdir -p /home/r/src/deep && head -c 2500000 /dev/urandom > /home/r/big.bin"
                        + " && head -c 5000 /dev/urandom > /home/r/src/small.bin && echo hi > /home/r/src/deep/note.txt"
                        + " && chmod 750 /home/r/big.bin && chmod 600 /home/r/src/small.bin && chmod 711 /home/r/src/deep"
                        + " && : > /home/r/empty");
        wire.sync(s);
        String original = wire.shell(s, FINGERPRINT.formatted("/home/r"));
        wire.shell(
                s,
                "head -c 100 /dev/urandom >> /home/r/big.bin && rm /home/r/src/small.bin"
                        + " && chmod 644 /home/r/src/deep/note.txt && echo new > /home/r/added.txt");
        wire.sync(s);
        wire.release(s);
        assertThat(generations(versions(ctx))).containsExactly(2L, 1L);

        WireClient.Reply restored =
                wire.post("/sdk/RestoreContextVersion", Map.of("contextId", ctx, "generation", "1"), null);
        String fresh = wire.session(ctx, "/home/r", DEFAULT_POLICY);

        assertThat(restored.success()).as(restored.body().toString()).isTrue();
        assertThat(restored.data().path("generation").asLong()).isEqualTo(3);
        assertThat(restored.data().path("restoredGeneration").asLong()).isEqualTo(1);
        assertThat(restored.data().path("committed").asBoolean()).isTrue();
        assertThat(wire.shell(fresh, FINGERPRINT.formatted("/home/r"))).isEqualTo(original);
        wire.release(fresh);
        assertThat(generations(versions(ctx))).startsWith(3L);
    }

    @Test
    void aPastVersion_mountsReadOnly_andIsNeverUploaded() {
        String ctx = wire.context("versions-mount");
        String s = wire.session(ctx, "/home/m", DEFAULT_POLICY);
        wire.shell(s, "echo first > /home/m/notes.txt");
        wire.sync(s);
        wire.shell(s, "echo second > /home/m/notes.txt");
        wire.sync(s);
        wire.release(s);

        Map<String, Object> body = Map.of(
                "persistenceDataList",
                List.of(Map.of(
                        "contextId",
                        ctx,
                        "path",
                        "/home/old",
                        "policy",
                        "{\"mappingPolicy\": {\"path\": \"/home/m\"}}", // stored under /home/m, read at /home/old
                        "version",
                        1)));
        WireClient.Reply created = wire.createSession(body);
        String past = created.data().path("sessionId").asText();
        wire.awaitTasks(past);
        String seen = wire.shell(past, "cat /home/old/notes.txt");
        wire.shell(past, "echo scribbled > /home/old/notes.txt && echo extra > /home/old/extra.txt");
        WireClient.Reply explicit = wire.post(
                "/sdk/SyncContext",
                Map.of("sessionId", past, "contextId", ctx, "path", "/home/old", "mode", "upload"),
                null);
        wire.sync(past); // unfiltered: skips the read-only mount
        wire.release(past); // the release does not upload it either

        assertThat(created.success()).as(created.body().toString()).isTrue();
        assertThat(seen).isEqualTo("first\n");
        assertThat(explicit.success()).isFalse();
        assertThat(explicit.code()).isEqualTo("InvalidParameter");
        assertThat(explicit.message())
                .contains("'/home/old'", "version 1 of context '" + ctx + "' read-only", "RestoreContextVersion");
        assertThat(generations(versions(ctx))).containsExactly(2L, 1L);
        String reader = wire.session(ctx, "/home/m", DEFAULT_POLICY);
        assertThat(wire.shell(reader, "cat /home/m/notes.txt; ls /home/m")).isEqualTo("second\nnotes.txt\n");
        wire.release(reader);
    }

    @Test
    void unknownAndDroppedGenerations_andBadParameters_areRefused_namingTheValueAndTheFix() {
        String ctx = wire.context("versions-errors");
        String s = wire.session(ctx, "/home/e", DEFAULT_POLICY);
        for (int i = 1; i <= 5; i++) {
            wire.shell(s, "echo " + i + " > /home/e/f.txt");
            wire.sync(s);
        }
        wire.release(s);

        WireClient.Reply future =
                wire.post("/sdk/RestoreContextVersion", Map.of("contextId", ctx, "generation", "9"), null);
        WireClient.Reply dropped =
                wire.post("/sdk/RestoreContextVersion", Map.of("contextId", ctx, "generation", "1"), null);
        WireClient.Reply notANumber =
                wire.post("/sdk/RestoreContextVersion", Map.of("contextId", ctx, "generation", "latest"), null);
        WireClient.Reply badToken = wire.get("/sdk/ListContextVersions", Map.of("contextId", ctx, "nextToken", "zzz"));
        WireClient.Reply mountDropped = wire.createSession(Map.of(
                "persistenceDataList",
                List.of(Map.of("contextId", ctx, "path", "/home/x", "policy", DEFAULT_POLICY, "version", "1"))));
        WireClient.Reply mountBad = wire.createSession(Map.of(
                "persistenceDataList",
                List.of(Map.of("contextId", ctx, "path", "/home/x", "policy", DEFAULT_POLICY, "version", "-2"))));

        assertThat(generations(versions(ctx))).containsExactly(5L, 4L, 3L);
        assertThat(future.code()).isEqualTo("InvalidContextVersion.NotFound");
        assertThat(future.status()).isEqualTo(400); // the project's not-found status (ApiException.notFound)
        assertThat(future.message()).contains("version 9", "at generation 5", "kept now: 3, 4, 5");
        assertThat(dropped.code()).isEqualTo("InvalidContextVersion.NotFound");
        assertThat(dropped.message()).contains("version 1", "dropped by the retention", "the last 3 generations");
        assertThat(notANumber.code()).isEqualTo("InvalidParameter");
        assertThat(notANumber.message()).contains("'generation' ('latest')", ">= 1", "ListContextVersions");
        assertThat(badToken.code()).isEqualTo("InvalidParameter");
        assertThat(badToken.message()).contains("'zzz'");
        assertThat(mountDropped.data() == null
                        || mountDropped.data().path("sessionId").asText().isEmpty())
                .isTrue();
        assertThat(mountDropped.message()).contains("dropped by the retention");
        assertThat(mountBad.message()).contains("version '-2'", "generation number >= 1");
    }

    @Test
    void anotherKey_cannotList_diff_restore_orMount_thisKeysVersions() {
        String ctx = wire.context("versions-private");
        String s = wire.session(ctx, "/home/p", DEFAULT_POLICY);
        wire.shell(s, "echo secret > /home/p/secret.txt");
        wire.sync(s);
        wire.shell(s, "echo changed > /home/p/secret.txt");
        wire.sync(s);
        wire.release(s);
        WireClient other = wire.withKey(server.createApiKey("versions-attacker"));

        WireClient.Reply list = other.get("/sdk/ListContextVersions", Map.of("contextId", ctx));
        WireClient.Reply diff = other.post(
                "/sdk/DiffContextVersions", Map.of("contextId", ctx, "fromGeneration", "1", "toGeneration", "2"), null);
        WireClient.Reply restore =
                other.post("/sdk/RestoreContextVersion", Map.of("contextId", ctx, "generation", "1"), null);
        WireClient.Reply mount = other.createSession(Map.of(
                "persistenceDataList",
                List.of(Map.of("contextId", ctx, "path", "/home/steal", "policy", DEFAULT_POLICY, "version", 1))));

        for (WireClient.Reply r : List.of(list, diff, restore)) {
            assertThat(r.success()).isFalse();
            assertThat(r.code()).isEqualTo("InvalidContext.NotFound");
            assertThat(r.body().toString()).doesNotContain("secret");
        }
        assertThat(mount.data() == null
                        || mount.data().path("sessionId").asText().isEmpty())
                .isTrue();
        assertThat(mount.message()).contains(ctx);
        assertThat(generations(versions(ctx))).as("nothing was restored").containsExactly(2L, 1L);
    }
}
