package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Absurdly long names are refused with clear errors, never crash a request or corrupt a context. */
class HugeNamesTest extends ServerTestBase {

    @Test
    void hugeMountPath_isRefusedNamingTheLimit() {
        String ctx = wire.context("huge-mount");
        WireClient.Reply r = wire.createSession(Map.of(
                "persistenceDataList",
                List.of(Map.of("contextId", ctx, "path", "/home/" + "a".repeat(300), "policy", "{}"))));
        assertThat(r.success()).isFalse();
        assertThat(r.code()).isEqualTo("InvalidParameter");
        assertThat(r.message()).contains("longer than 255 bytes");

        WireClient.Reply deep = wire.createSession(Map.of(
                "persistenceDataList",
                List.of(Map.of("contextId", ctx, "path", "/home" + "/abcdefgh".repeat(600), "policy", "{}"))));
        assertThat(deep.code()).isEqualTo("InvalidParameter");
        assertThat(deep.message()).contains("4096");
    }

    @Test
    void cjkAndEmojiNames_countUtf8Bytes_overTheLimitAre400sNamingTheValue_atTheLimitTheyWork() {
        String ctx = wire.context("cjk-names");
        String cjk100 = "漢".repeat(100); // 300 bytes
        WireClient.Reply tooLong = wire.createSession(Map.of(
                "persistenceDataList", List.of(Map.of("contextId", ctx, "path", "/home/" + cjk100, "policy", "{}"))));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.code()).isEqualTo("InvalidParameter");
        assertThat(tooLong.message())
                .contains("漢漢漢")
                .contains("300 bytes in UTF-8")
                .contains("255 bytes");

        String emoji64 = "😀".repeat(64); // 256 bytes
        WireClient.Reply emoji = wire.createSession(Map.of(
                "persistenceDataList", List.of(Map.of("contextId", ctx, "path", "/home/" + emoji64, "policy", "{}"))));
        assertThat(emoji.status()).isEqualTo(400);
        assertThat(emoji.message()).contains("256 bytes in UTF-8");

        WireClient.Reply url = wire.post(
                "/sdk/GetContextFileUploadUrl",
                Map.of("contextId", ctx, "filePath", "/home/x/" + cjk100 + ".txt"),
                null);
        assertThat(url.status()).isEqualTo(400);
        assertThat(url.message()).contains("longer than 255 bytes");

        String cjk85 = "漢".repeat(85); // 255 bytes: exactly the limit
        String session = wire.session(ctx, "/home/" + cjk85, "{}");
        assertThat(wire.shell(session, "echo ok > '/home/" + cjk85 + "/f' && cat '/home/" + cjk85 + "/f'"))
                .isEqualTo("ok\n");
        wire.release(session);
        String next = wire.session(ctx, "/home/" + cjk85, "{}");
        assertThat(wire.shell(next, "cat '/home/" + cjk85 + "/f'")).isEqualTo("ok\n");
        wire.release(next);
    }

    @Test
    void hugeFileName_inFileToolsAndContextFileUrls_isAClearErrorAndTheContextStaysUsable() {
        String session = wire.session();
        WireClient.Reply write =
                wire.tool(session, "write_file", Map.of("path", "/home/" + "n".repeat(5000), "content", "x"));
        assertThat(write.success()).isTrue();
        assertThat(write.toolError()).isTrue();
        assertThat(write.toolText()).isNotBlank().contains("/home/nnnn");
        assertThat(wire.shell(session, "echo still-fine")).isEqualTo("still-fine\n");
        wire.release(session);

        String ctx = wire.context("huge-file-url");
        WireClient.Reply url = wire.post(
                "/sdk/GetContextFileUploadUrl",
                Map.of("contextId", ctx, "filePath", "/home/" + "f".repeat(5000)),
                null);
        assertThat(url.success()).isFalse();
        assertThat(url.message()).isNotBlank();
        assertThat(wire.post("/sdk/DescribeContextFiles", Map.of("contextId", ctx), null)
                        .success())
                .isTrue();
    }
}
