package org.openagb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.server.OpenAgbServer;
import org.openagb.server.ServerConfig;

/** The context and session commands against a real in-process server, through the CLI only. */
class ClientCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    @TempDir
    Path home;

    private static OpenAgbServer server;
    private static String key;

    @BeforeAll
    static void startServer() {
        server = OpenAgbServer.start(
                ServerConfig.builder().dataDir(dataDir).port(0).build());
        key = server.bootstrapApiKey().orElseThrow();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private CliRun cli(String... args) {
        return cli(CliRun.environment(home, Map.of()), args);
    }

    private static CliRun cli(Environment environment, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        int dashes = all.indexOf("--");
        all.addAll(dashes < 0 ? all.size() : dashes, List.of("--endpoint", server.baseUrl(), "--api-key", key));
        return CliRun.run(environment, all.toArray(String[]::new));
    }

    private static JsonNode json(CliRun run) throws IOException {
        assertThat(run.exit()).as(run.toString()).isZero();
        return JSON.readTree(run.out());
    }

    private static String ok(CliRun run) {
        assertThat(run.exit()).as(run.toString()).isZero();
        return run.out().strip();
    }

    @Test
    void newcomerFlow_fileWrittenInOneSession_isThereInTheNext() {
        String contextId = ok(cli("context", "create", "demo"));
        assertThat(contextId).startsWith("SdkCtx-");

        String first = ok(cli("session", "create", "--context", "demo:/home/project"));
        assertThat(ok(cli("session", "exec", first, "--", "sh", "-c", "echo hi > /home/project/hello.txt")))
                .isEmpty();
        assertThat(ok(cli("session", "rm", first, "--sync"))).isEqualTo("Deleted session " + first);

        String second = ok(cli("session", "create", "--context", "demo:/home/project"));
        assertThat(second).isNotEqualTo(first);
        assertThat(ok(cli("session", "exec", second, "--", "cat", "/home/project/hello.txt")))
                .isEqualTo("hi");
        assertThat(ok(cli("context", "files", contextId, "--path", "/home/project")))
                .contains("/home/project/hello.txt");
        ok(cli("session", "rm", second));
    }

    @Test
    void jsonOutputs_areOneParseableDocument() throws IOException {
        JsonNode context = json(cli("context", "create", "json-ctx", "--json"));
        String contextId = context.path("id").asText();
        assertThat(context.path("name").asText()).isEqualTo("json-ctx");
        assertThat(json(cli("context", "get", "json-ctx", "--json")).path("id").asText())
                .isEqualTo(contextId);
        assertThat(json(cli("context", "--json", "ls")).findValuesAsText("name"))
                .contains("json-ctx");

        JsonNode created = json(cli(
                "session",
                "create",
                "--json",
                "--context",
                "json-ctx:/home/data",
                "--label",
                "team=json",
                "--idle-timeout",
                "120"));
        String sessionId = created.path("sessionId").asText();
        assertThat(created.path("contexts").get(0).path("contextId").asText()).isEqualTo(contextId);

        JsonNode listed = json(cli("session", "ls", "--label", "team=json", "--json"));
        assertThat(listed.findValuesAsText("sessionId")).containsExactly(sessionId);
        assertThat(json(cli("session", "ls", "--label", "team=nobody", "--json")))
                .isEmpty();

        JsonNode info = json(cli("session", "info", sessionId, "--json"));
        assertThat(info.path("status").asText()).isEqualTo("RUNNING");
        assertThat(info.path("labels").path("team").asText()).isEqualTo("json");

        JsonNode exec = json(cli("session", "exec", "--json", sessionId, "--", "sh", "-c", "echo out; echo err >&2"));
        assertThat(exec.path("exitCode").asInt()).isZero();
        assertThat(exec.path("stdout").asText()).isEqualTo("out\n");
        assertThat(exec.path("stderr").asText()).isEqualTo("err\n");

        JsonNode sync = json(cli("session", "sync", sessionId, "--json"));
        assertThat(sync.path("success").asBoolean()).isTrue();
        JsonNode status = json(cli("session", "status", sessionId, "--json"));
        assertThat(status.findValuesAsText("taskType")).contains("download", "upload");
        assertThat(status.findValuesAsText("status")).containsOnly("Success");

        assertThat(json(cli("session", "rm", sessionId, "--json"))
                        .path("deleted")
                        .asBoolean())
                .isTrue();
        assertThat(json(cli("context", "rm", contextId, "--json"))
                        .path("deleted")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void contextVersions_areListedDiffedRestored_andAPastOneMountsReadOnly() throws IOException {
        String id = ok(cli("context", "create", "versions-cli"));
        byte[] first = new byte[300_000];
        new Random(11).nextBytes(first);
        Path v1 = Files.write(home.resolve("v1.bin"), first);
        Path v2 = Files.write(home.resolve("v2.bin"), "second".getBytes());
        ok(cli("context", "put", id, v1.toString(), "/home/p/data.bin"));
        ok(cli("context", "put", id, v2.toString(), "/home/p/data.bin"));
        ok(cli("context", "put", id, v2.toString(), "/home/p/more.bin"));

        String table = ok(cli("context", "versions", id));
        JsonNode versions = json(cli("context", "versions", id, "--json"));
        String diff = ok(cli("context", "diff", id, "1", "3"));
        JsonNode diffJson = json(cli("context", "diff", id, "1", "3", "--json"));
        String restored = ok(cli("context", "restore", id, "1"));
        String again = ok(cli("context", "restore", id, "4"));
        Path back = home.resolve("back.bin");
        ok(cli("context", "get-file", id, "/home/p/data.bin", back.toString()));
        String session = ok(cli("session", "create", "--context-version", "versions-cli:2:/home/p"));
        String seen = ok(cli("session", "exec", session, "--", "cat", "/home/p/data.bin"));
        ok(cli("session", "exec", session, "--", "sh", "-c", "echo scribble > /home/p/data.bin"));
        ok(cli("session", "rm", session, "--sync"));

        assertThat(table.lines().toList().get(0)).startsWith("GEN").contains("COMMITTED", "FILES", "BYTES");
        assertThat(table.lines().toList().get(1)).startsWith("*3").contains("  2  ");
        assertThat(versions.findValuesAsText("generation")).containsExactly("3", "2", "1");
        assertThat(versions.get(2).path("totalBytes").asLong()).isEqualTo(300_000);
        assertThat(diff).isEqualTo("~ /home/p/data.bin (300000 B -> 6 B)\n+ /home/p/more.bin (6 B)");
        assertThat(diffJson.get(1).path("change").asText()).isEqualTo("added");
        assertThat(restored).isEqualTo("Restored version 1 of " + id + " as generation 4");
        assertThat(again).contains("already the current content");
        assertThat(Files.readAllBytes(back)).isEqualTo(first);
        assertThat(seen).isEqualTo("second");
        assertThat(json(cli("context", "versions", id, "--json")).findValuesAsText("generation"))
                .as("the read-only mount uploaded nothing")
                .containsExactly("4", "3", "2", "1");
        CliRun unknown = cli("context", "restore", id, "99");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("version 99", "at generation 4");
    }

    @Test
    void humanOutput_isAlignedTablesAndFields() {
        String id = ok(cli("context", "create", "table-ctx"));
        String table = ok(cli("context", "ls"));
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("NAME").contains("STATE");
        String row = lines.stream().filter(l -> l.contains(id)).findFirst().orElseThrow();
        assertThat(row.indexOf("table-ctx")).isEqualTo(lines.get(0).indexOf("NAME"));
        assertThat(ok(cli("context", "get", "table-ctx")))
                .contains("id:")
                .contains(id)
                .contains("state:");
    }

    @Test
    void exec_exitsWithTheCommandsExitCode_andPassesStderrThrough() {
        String session = ok(cli("session", "create"));
        CliRun failed = cli("session", "exec", session, "--", "sh", "-c", "echo oops >&2; exit 3");
        assertThat(failed.exit()).isEqualTo(3);
        assertThat(failed.err()).isEqualTo("oops\n");
        CliRun cwd = cli("session", "exec", "--cwd", "/tmp", session, "--", "pwd");
        assertThat(ok(cwd)).isEqualTo("/tmp");
        ok(cli("session", "rm", session));
    }

    @Test
    void unknownSessionOrContext_isExit1WithTheServersMessage() {
        CliRun session = cli("session", "exec", "no-such-session", "--", "true");
        assertThat(session.exit()).isEqualTo(1);
        assertThat(session.err())
                .startsWith("Failed to get session no-such-session: ")
                .contains("not found");
        assertThat(session.out()).isEmpty();
        CliRun context = cli("context", "get", "no-such-context");
        assertThat(context.exit()).isEqualTo(1);
        assertThat(context.err()).startsWith("Cannot get context 'no-such-context': ");
    }

    @Test
    void contextRenameClearRemove_manageTheContext() {
        String id = ok(cli("context", "create", "before"));
        assertThat(ok(cli("context", "rename", id, "after"))).contains("'after'");
        assertThat(ok(cli("context", "get", "after"))).contains(id);
        assertThat(ok(cli("context", "clear", id))).isEqualTo("Cleared context " + id);
        assertThat(ok(cli("context", "rm", id))).isEqualTo("Deleted context " + id);
        assertThat(cli("context", "get", "after").exit()).isEqualTo(1);
    }

    @Test
    void putFilesGetFileRmFile_roundTripAContextFile() throws IOException {
        String id = ok(cli("context", "create", "files-ctx"));
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(content);
        Path local = Files.write(home.resolve("blob.bin"), content);

        CliRun put = cli("context", "put", id, local.toString(), "/data/sub/blob.bin");
        assertThat(ok(put)).startsWith("Uploaded ").contains(id + ":/data/sub/blob.bin");
        assertThat(put.err()).as("no progress bar without a terminal").isEmpty();

        assertThat(ok(cli("context", "files", id))).contains("folder").contains("/data/");
        JsonNode listing = json(cli("context", "files", id, "--path", "/data/sub", "--json"));
        assertThat(listing.path("count").asInt()).isEqualTo(1);
        assertThat(listing.path("entries").get(0).path("size").asLong()).isEqualTo(content.length);

        Path back = home.resolve("back");
        Files.createDirectories(back);
        CliRun get = cli("context", "get-file", id, "/data/sub/blob.bin", back.toString());
        assertThat(ok(get)).startsWith("Downloaded ");
        assertThat(get.err()).isEmpty();
        assertThat(Files.readAllBytes(back.resolve("blob.bin"))).isEqualTo(content);

        assertThat(ok(cli("context", "rm-file", id, "/data/sub/blob.bin")))
                .isEqualTo("Deleted " + id + ":/data/sub/blob.bin");
        CliRun missing = cli(
                "context",
                "get-file",
                id,
                "/data/sub/blob.bin",
                home.resolve("x").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("Cannot download '/data/sub/blob.bin' of context '" + id + "': ");
        assertThat(home.resolve("x")).doesNotExist();
    }

    @Test
    void put_inATerminal_drawsAProgressBarOnStderrOnly() throws IOException {
        String id = ok(cli("context", "create", "progress-ctx"));
        Path local = Files.write(home.resolve("big.bin"), new byte[4 * 1024 * 1024]);
        Environment terminal = new Environment(Map.<String, String>of()::get, home, true, Duration.ZERO);
        CliRun put = cli(terminal, "context", "put", id, local.toString(), "/big.bin");
        assertThat(ok(put)).startsWith("Uploaded ").doesNotContain("\r");
        assertThat(put.err())
                .contains("\rput big.bin [")
                .contains("4.0 MiB / 4.0 MiB")
                .contains("/s")
                .endsWith("\n");

        CliRun json = cli(terminal, "context", "put", "--json", id, local.toString(), "/big.bin");
        assertThat(JSON.readTree(json.out()).path("bytes").asLong()).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void configPrecedence_flagBeatsEnvBeatsFile() throws IOException {
        Path config = home.resolve("openagb.properties");
        Files.writeString(config, "api-key=" + key + "\nendpoint=" + server.baseUrl() + "\n", StandardCharsets.UTF_8);
        Environment fileOnly = CliRun.environment(home, Map.of("OPENAGB_CONFIG", config.toString()));
        assertThat(CliRun.run(fileOnly, "context", "ls").exit()).isZero();

        Environment badEnv =
                CliRun.environment(home, Map.of("OPENAGB_CONFIG", config.toString(), "AGB_API_KEY", "akm-wrong"));
        CliRun refused = CliRun.run(badEnv, "context", "ls");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).startsWith("Cannot list contexts: ");

        assertThat(CliRun.run(badEnv, "context", "ls", "--api-key", key).exit()).isZero();
        assertThat(CliRun.run(badEnv, "context", "--api-key", key, "ls").exit())
                .as("the group's options are accepted before the subcommand too")
                .isZero();
    }

    @Test
    void sessionCreate_withAPolicyFile_usesIt_andRejectsABadOne() throws IOException {
        Path policy = Files.writeString(
                home.resolve("policy.json"), "{\"uploadPolicy\":{\"autoUpload\":false}}", StandardCharsets.UTF_8);
        String session = ok(cli("session", "create", "--context", "policy-ctx:/home/p:" + policy));
        ok(cli("session", "exec", session, "--", "sh", "-c", "echo x > /home/p/x.txt"));
        ok(cli("session", "rm", session, "--sync"));
        String contextId = ok(cli("context", "create", "policy-ctx"));
        assertThat(ok(cli("context", "files", contextId, "--path", "/home/p")))
                .as("autoUpload=false: nothing uploaded")
                .doesNotContain("x.txt");

        Path bad = Files.writeString(
                home.resolve("bad.json"), "{\"recyclePolicy\":{\"paths\":[\"a*\"]}}", StandardCharsets.UTF_8);
        CliRun refused = cli("session", "create", "--context", "policy-ctx:/home/p:" + bad);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).startsWith("Cannot read policy file '" + bad + "': ");

        CliRun malformed = cli("session", "create", "--context", "policy-ctx");
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.err()).contains("expected NAME:PATH[:POLICY_FILE]");
    }

    @Test
    void runCode_printsOutputAndTheLastValue_andKeepsKernelState() throws IOException {
        String session = ok(cli("session", "create"));
        assertThat(ok(cli("session", "run-code", session, "--language", "python", "x = 41\nprint('hello')")))
                .isEqualTo("hello");
        Path file = Files.writeString(home.resolve("code.py"), "x + 1\n", StandardCharsets.UTF_8);
        assertThat(ok(cli("session", "run-code", session, "-f", file.toString())))
                .isEqualTo("42");
        JsonNode json = json(cli("session", "run-code", "--json", session, "x * 2"));
        assertThat(json.path("result").asText()).isEqualTo("82");

        CliRun error = cli("session", "run-code", session, "1/0");
        assertThat(error.exit()).isEqualTo(1);
        assertThat(error.err()).contains("ZeroDivisionError");
        ok(cli("session", "rm", session));
    }
}
