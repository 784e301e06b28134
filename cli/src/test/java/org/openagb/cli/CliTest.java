package org.openagb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dataDir;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void keysCreateListRevoke_manageTenantsOfADataDir_andNeverListSecrets() {
        Run created = run("keys", "create", "--name", "ci", "--data-dir", dataDir.toString());
        assertThat(created.exit()).isZero();
        String secret = created.out().lines().reduce((a, b) -> b).orElseThrow().trim();
        assertThat(secret).startsWith("akm-");

        Run listed = run("keys", "list", "--data-dir", dataDir.toString());
        assertThat(listed.exit()).isZero();
        assertThat(listed.out()).contains("ci").contains("active").doesNotContain(secret);

        assertThat(run("keys", "revoke", "ci", "--data-dir", dataDir.toString()).exit())
                .isZero();
        assertThat(run("keys", "list", "--data-dir", dataDir.toString()).out()).contains("revoked");
        Run again = run("keys", "revoke", "ci", "--data-dir", dataDir.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("No active key with id or name 'ci'");
    }

    @Test
    void gc_collectsTheStorageOfADataDir_andSaysWhatItDid() throws Exception {
        // A data dir with a context whose first version was superseded: a server wrote it, then stopped.
        org.openagb.server.ServerConfig config = org.openagb.server.ServerConfig.builder()
                .dataDir(dataDir)
                .port(0)
                .warmSandboxes(0)
                .build();
        String contextId;
        try (org.openagb.server.OpenAgbServer server = org.openagb.server.OpenAgbServer.start(config)) {
            String key = server.bootstrapApiKey().orElseThrow();
            var http = java.net.http.HttpClient.newHttpClient();
            java.util.function.Function<String, String> post = path -> {
                try {
                    return http.send(
                                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + path))
                                            .header("Authorization", "Bearer " + key)
                                            .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            String got = post.apply("/sdk/GetContext?name=gc-cli&allowCreate=true");
            contextId = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(got)
                    .path("data")
                    .path("id")
                    .asText();
            for (String version : new String[] {"one", "two"}) {
                String url = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(post.apply(
                                "/sdk/GetContextFileUploadUrl?contextId=" + contextId + "&filePath=%2Fhome%2Fa.txt"))
                        .path("data")
                        .path("url")
                        .asText();
                http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(version.repeat(1000)))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
            }
        }
        Thread.sleep(1200);

        Run noGrace = run("gc", "--data-dir", dataDir.toString(), "--gc-grace-seconds", "0");
        Run young = run("gc", "--data-dir", dataDir.toString());
        Run retained = run("gc", "--data-dir", dataDir.toString(), "--gc-grace-seconds", "1");
        Run collected = run(
                "gc",
                "--data-dir",
                dataDir.toString(),
                "--gc-grace-seconds",
                "1",
                "--keep-versions",
                "0",
                "--keep-version-days",
                "0");

        assertThat(contextId).isNotBlank();
        assertThat(noGrace.exit()).isEqualTo(1);
        assertThat(noGrace.err()).contains("gcGrace").contains("must be positive");
        assertThat(young.exit()).as(young.err()).isZero();
        assertThat(young.out()).as("within the default hour of grace").startsWith("collected 1 context(s): 0 blob(s)");
        assertThat(retained.out())
                .as("the default retention keeps the superseded generation as a version")
                .startsWith("collected 1 context(s): 0 blob(s) and 0 manifest(s) deleted")
                .contains("0 version(s) past retention forgotten");
        assertThat(collected.out())
                .startsWith("collected 1 context(s): 1 blob(s) and 1 manifest(s) deleted, 3")
                .contains("1 version(s) past retention forgotten");
    }

    @Test
    void keys_withADatabaseUrl_manageTheKeysOfThatDatabase_notTheDataDirs(@TempDir Path other) {
        Run created = run("keys", "create", "--name", "shared", "--data-dir", dataDir.toString());
        assertThat(created.exit()).isZero();
        String url = "jdbc:sqlite:" + dataDir.resolve("metadata.db");

        Run viaUrl = run("keys", "list", "--data-dir", other.toString(), "--database-url", url);
        Run local = run("keys", "list", "--data-dir", other.toString());

        assertThat(viaUrl.exit()).as(viaUrl.err()).isZero();
        assertThat(viaUrl.out()).contains("shared");
        assertThat(local.out()).doesNotContain("shared");
    }

    @Test
    void help_describesEveryCommand() {
        Run help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("server").contains("keys");
        assertThat(run("server", "--help").out()).contains("--port").contains("--data-dir");
        Run missingName = run("keys", "create", "--data-dir", dataDir.toString());
        assertThat(missingName.exit()).isEqualTo(2);
        assertThat(missingName.err()).contains("--name");
    }

    @Test
    void keysJson_printsParseableDocuments() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Run created = run("keys", "create", "--name", "script", "--json", "--data-dir", dataDir.toString());
        assertThat(created.exit()).isZero();
        var key = mapper.readTree(created.out());
        assertThat(key.path("secret").asText()).startsWith("akm-");
        var listed = mapper.readTree(
                run("keys", "list", "--json", "--data-dir", dataDir.toString()).out());
        assertThat(listed.findValuesAsText("name")).contains("script");
        assertThat(listed.toString()).doesNotContain(key.path("secret").asText());
    }
}
