package org.openagb.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile session against a whole server over the wire: working directories of commands and kernels, and symlinks
 * swapped in a loop while the server downloads into and uploads from the session.
 */
class SessionEscapeTest extends ServerTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK =
            "openagb-escape-" + ProcessHandle.current().pid();

    @TempDir
    Path hostDir;

    private static Path sessionHome(String session) {
        return dataDir.resolve("sessions").resolve(session).resolve("fs/home");
    }

    private static JsonNode shell(String session, Map<String, Object> args) throws IOException {
        WireClient.Reply reply = wire.tool(session, "shell", args);
        assertThat(reply.success()).as(reply.body().toString()).isTrue();
        return JSON.readTree(reply.toolText());
    }

    @Test
    void shellWithoutCwd_andWithCwdTmp_writeTheSessionsDirectories_notTheHosts() throws IOException {
        String session = wire.session();
        try {
            JsonNode home = shell(session, Map.of("command", "pwd; touch " + MARK, "timeout_ms", 10_000));
            assertThat(home.path("stdout").asText()).isEqualTo("/home\n");
            JsonNode tmp = shell(
                    session, Map.of("command", "pwd; touch " + MARK + "-tmp", "cwd", "/tmp", "timeout_ms", 10_000));
            assertThat(tmp.path("stdout").asText()).isEqualTo("/tmp\n");
            assertThat(Path.of("/home", MARK)).doesNotExist();
            assertThat(Path.of("/tmp", MARK + "-tmp")).doesNotExist();
            assertThat(sessionHome(session).resolve(MARK)).exists();
        } finally {
            wire.release(session);
        }
    }

    @Test
    void missingCwd_isAToolErrorNamingIt() {
        String session = wire.session();
        try {
            WireClient.Reply reply = wire.tool(
                    session, "shell", Map.of("command", "true", "cwd", "/tmp/nope " + MARK, "timeout_ms", 10_000));
            assertThat(reply.success()).isTrue();
            assertThat(reply.toolError()).isTrue();
            assertThat(reply.toolText()).contains("working directory '/tmp/nope " + MARK + "'");
        } finally {
            wire.release(session);
        }
    }

    @Test
    void pythonKernel_writesRelativeFilesInTheSessionsHome() {
        String session = wire.session();
        try {
            WireClient.Reply reply = wire.tool(
                    session,
                    "run_code",
                    Map.of(
                            "code",
                            "import os\nopen('" + MARK + "-py', 'w').write('x')\nprint(os.getcwd())",
                            "language",
                            "python",
                            "timeout_s",
                            60));
            assertThat(reply.toolText()).contains("/home");
            assertThat(Path.of("/home", MARK + "-py")).doesNotExist();
            assertThat(sessionHome(session).resolve(MARK + "-py")).exists();
        } finally {
            wire.release(session);
        }
    }

    @Test
    void uploadWhileTheSessionSwapsADirectoryForASymlinkToTheDataDir_neverCopiesServerFiles() throws Exception {
        String ctx = wire.context("escape-upload");
        String session = wire.session(ctx, "/home/p", STANDARD_POLICY);
        wire.shell(
                session,
                "mkdir -p /home/p/d /home/p/real && for i in $(seq 1 50); do echo $i > /home/p/real/f$i;"
                        + " done; cp /home/p/real/* /home/p/d/");
        // Swap /home/p/d between a real directory and a symlink to the server's data directory, in a loop that
        // outlives the call, so it runs while the release uploads.
        String loop = "nohup sh -c 'while :; do ln -sfn " + dataDir + " /home/p/d.l && mv -T /home/p/d.l /home/p/d;"
                + " rm -f /home/p/d; cp -r /home/p/real /home/p/d; done' > /dev/null 2>&1 &";
        wire.shell(session, loop);
        wire.release(session);

        String reader = wire.session(ctx, "/home/p", STANDARD_POLICY);
        try {
            String found = wire.shell(
                    reader,
                    "find /home/p \\( -name url-signing.key -o -name api-key -o -name 'metadata.db*' -o -name"
                            + " node-id -o -name objects \\) -print");
            assertThat(found).isEmpty();
        } finally {
            wire.release(reader);
        }
        assertThat(wire.post("/mcp/getSession", Map.of(), Map.of("sessionId", "nope"))
                        .status())
                .isLessThan(500);
    }

    @Test
    void downloadWhileTheSessionSwapsTheMountsSubdirectoryForASymlink_writesNothingOnTheHost() throws Exception {
        String ctx = wire.context("escape-download");
        String writer = wire.session(ctx, "/home/q", STANDARD_POLICY);
        wire.shell(writer, "mkdir -p /home/q/d && for i in $(seq 1 2000); do echo $i > /home/q/d/f$i; done");
        wire.release(writer);

        String policy = STANDARD_POLICY;
        WireClient.Reply created = wire.createSession(
                Map.of("persistenceDataList", List.of(Map.of("contextId", ctx, "path", "/home/q", "policy", policy))));
        assertThat(created.success()).isTrue();
        String session = created.data().path("sessionId").asText();
        try {
            // While the download runs, swap /home/q/d for a symlink to a host directory, again and again.
            wire.tool(
                    session,
                    "shell",
                    Map.of(
                            "command",
                            "i=0; while [ $i -lt 300 ]; do rm -rf /home/q/d 2>/dev/null; ln -sfn " + hostDir
                                    + " /home/q/d; i=$((i+1)); done",
                            "timeout_ms",
                            30_000));
            wire.awaitTasks(session);
        } finally {
            wire.release(session);
        }
        try (Stream<Path> written = Files.list(hostDir)) {
            assertThat(written).isEmpty();
        }
    }
}
