package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.sandbox.SessionLimits;

/**
 * A zip bomb in Archive mode: an archive of 64 MiB of zeros (tens of KiB compressed), extracted by the server into a
 * session whose disk quota is 16 MiB. The extraction stops at the session's own filesystem ("No space left on
 * device"), the task fails saying so, the host's free space is untouched, and the session keeps working.
 */
class ArchiveBombTest {
    @TempDir
    Path dataDir;

    @Test
    void archiveExtractingPastTheDiskQuota_failsInsideTheSession_andFillsNothingOnTheHost() throws Exception {
        String key;
        String ctx;
        try (OpenAgbServer roomy = OpenAgbServer.start(
                ServerConfig.builder().dataDir(dataDir).port(0).warmSandboxes(0).build())) {
            key = roomy.bootstrapApiKey().orElseThrow();
            WireClient wire = new WireClient(roomy.baseUrl(), key);
            ctx = wire.context("bomb");
            String maker = wire.session(ctx, "/home/bomb", ArchiveModeTest.ARCHIVE_POLICY);
            wire.shell(maker, "head -c 64M /dev/zero > /home/bomb/zeros");
            wire.release(maker);
        }
        try (OpenAgbServer tight = OpenAgbServer.start(ServerConfig.builder()
                .dataDir(dataDir)
                .port(0)
                .warmSandboxes(0)
                .sessionLimits(SessionLimits.defaults().withDiskBytes(16L << 20))
                .build())) {
            WireClient wire = new WireClient(tight.baseUrl(), key);
            long freeBefore = Files.getFileStore(dataDir).getUsableSpace();
            WireClient.Reply created = wire.createSession(Map.of(
                    "persistenceDataList",
                    List.of(Map.of("contextId", ctx, "path", "/home/bomb", "policy", ArchiveModeTest.ARCHIVE_POLICY))));
            assertThat(created.success()).as(created.body().toString()).isTrue();
            String session = created.data().path("sessionId").asText();
            JsonNode task = wire.awaitTasks(session).get(0);
            assertThat(task.path("status").asText()).isEqualTo("Failed");
            assertThat(task.path("errorMessage").asText()).containsIgnoringCase("No space left on device");
            long freeAfter = Files.getFileStore(dataDir).getUsableSpace();
            assertThat(freeBefore - freeAfter)
                    .as("bytes the extraction took from the host")
                    .isLessThan(32L << 20);
            assertThat(wire.shell(session, "echo still-fine")).isEqualTo("still-fine\n");
            wire.release(session);
        }
    }
}
