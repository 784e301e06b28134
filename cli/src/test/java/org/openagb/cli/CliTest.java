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
