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
