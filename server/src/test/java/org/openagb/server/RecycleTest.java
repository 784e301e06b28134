package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recyclePolicy (WIRE.md §6.1): entries under mount/<path> expire N days after their last upload; the reaper removes
 * them. The server's clock is a {@link MutableClock}, so "31 days later" is one call. Every test releases its
 * sessions before moving the clock (the idle reaper uses the same clock).
 */
class RecycleTest {
    @TempDir
    static Path dataDir;

    static MutableClock clock = MutableClock.startingNow();
    static OpenAgbServer server;
    static WireClient wire;

    @BeforeAll
    static void start() {
        server = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(dataDir)
                .port(0)
                .clock(clock)
                .recycleInterval(Duration.ofDays(365)) // the tests run the reaper themselves
                .build());
        wire = new WireClient(server.baseUrl(), server.bootstrapApiKey().orElseThrow());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String policy(String lifecycle, String... paths) {
        String list = String.join(
                ", ", java.util.Arrays.stream(paths).map(p -> "\"" + p + "\"").toList());
        return "{\"recyclePolicy\": {\"lifecycle\": \"" + lifecycle + "\", \"paths\": [" + list + "]}}";
    }

    /** Creates a session mounting the context at mount, runs the command, releases (upload). */
    static void write(String contextId, String mount, String policy, String command) {
        String session = wire.session(contextId, mount, policy);
        wire.shell(session, command);
        wire.release(session);
    }

    static List<String> files(String contextId, String folder) {
        WireClient.Reply r = wire.post(
                "/sdk/DescribeContextFiles",
                Map.of("contextId", contextId, "parentFolderPath", folder, "pageSize", "100"),
                null);
        assertThat(r.success()).as(r.body().toString()).isTrue();
        return r.data().findValuesAsText("fileName");
    }

    @Test
    void wholeMountAndSubPathLifecycles_removeExpiredEntries_andLeaveEverythingElse() {
        String whole = wire.context("recycle-whole");
        String sub = wire.context("recycle-sub");
        String forever = wire.context("recycle-forever");
        write(
                whole,
                "/home/rw",
                policy("Lifecycle_30Days", ""),
                "mkdir -p /home/rw/deep/er && echo 1 > /home/rw/a.txt && echo 2 > /home/rw/deep/er/b.txt");
        write(
                sub,
                "/home/rs",
                policy("Lifecycle_30Days", "logs", "/cache/"),
                "mkdir -p /home/rs/logs/old /home/rs/cache /home/rs/logsbook && echo l > /home/rs/logs/old/x.log"
                        + " && echo c > /home/rs/cache/c.bin && echo k > /home/rs/keep.txt"
                        + " && echo s > /home/rs/logsbook/sibling.txt");
        write(forever, "/home/rf", policy("Lifecycle_Forever", ""), "echo f > /home/rf/f.txt");

        // 29 days later nothing has expired yet
        clock.advance(Duration.ofDays(29));
        assertThat(server.recycleExpired()).isZero();
        assertThat(files(whole, "/home/rw")).containsExactlyInAnyOrder("a.txt", "deep");

        // a file re-uploaded on day 29 lives 30 days from then
        String url = wire.post(
                        "/sdk/GetContextFileUploadUrl",
                        Map.of("contextId", whole, "filePath", "/home/rw/late.txt"),
                        null)
                .data()
                .path("url")
                .asText();
        assertThat(PresignedHttp.put(url, "late".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(200);

        // day 31: the whole mount's old entries are gone, the late one stays
        clock.advance(Duration.ofDays(2));
        assertThat(server.recycleExpired()).isPositive();
        assertThat(files(whole, "/home/rw")).containsExactly("late.txt");
        assertThat(files(whole, "/home/rw/deep")).isEmpty();

        // only the recycle paths of the sub-path context expired; a sibling with the same name prefix is kept
        assertThat(files(sub, "/home/rs")).containsExactlyInAnyOrder("keep.txt", "logsbook");
        assertThat(files(sub, "/home/rs/logsbook")).containsExactly("sibling.txt");

        // the Forever context is untouched
        assertThat(files(forever, "/home/rf")).containsExactly("f.txt");

        // running again removes nothing more
        assertThat(server.recycleExpired()).isZero();
    }

    @Test
    void anUploadWithForever_removesTheRuleOfThatPath() {
        String id = wire.context("recycle-changed-mind");
        write(id, "/home/cm", policy("Lifecycle_1Day", ""), "echo 1 > /home/cm/one.txt");
        // the next session keeps the data forever: its upload replaces the rule
        write(id, "/home/cm", policy("Lifecycle_Forever", ""), "echo 2 > /home/cm/two.txt");
        clock.advance(Duration.ofDays(400));
        server.recycleExpired();
        assertThat(files(id, "/home/cm")).containsExactlyInAnyOrder("one.txt", "two.txt");
    }

    @Test
    void aDeletedContext_dropsItsRules_andOtherContextsAreUnaffected() {
        String doomed = wire.context("recycle-doomed");
        String bystander = wire.context("recycle-bystander");
        write(doomed, "/home/dd", policy("Lifecycle_1Day", ""), "echo d > /home/dd/d.txt");
        write(bystander, "/home/bb", "{}", "echo b > /home/bb/b.txt");
        assertThat(wire.post("/sdk/DeleteContext", Map.of("id", doomed), null).success())
                .isTrue();
        clock.advance(Duration.ofDays(2));
        assertThat(server.recycleExpired()).isZero();
        assertThat(files(bystander, "/home/bb")).containsExactly("b.txt");
    }

    @Test
    void aWildcardRecyclePath_isRejectedAtCreate_namingThePath() {
        String id = wire.context("recycle-wildcard");
        WireClient.Reply r = wire.createSession(Map.of(
                "persistenceDataList",
                List.of(Map.of("contextId", id, "path", "/home/wc", "policy", policy("Lifecycle_1Day", "logs/*")))));
        assertThat(r.success()).isFalse();
        assertThat(r.message()).contains("'logs/*'");
    }
}
