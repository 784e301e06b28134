package org.openagb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, completion, usage errors and formatting: everything that needs no server. */
class OfflineCommandsTest {
    @TempDir
    Path home;

    private CliRun cli(String... args) {
        return CliRun.run(CliRun.environment(home, Map.of("AGB_API_KEY", "k")), args);
    }

    @Test
    void help_existsOnEveryCommand() {
        assertThat(cli("--help").out()).contains("context").contains("session").contains("completion");
        for (String group : List.of("context", "session")) {
            CliRun help = cli(group, "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out()).contains("--api-key").contains("--endpoint").contains("--json");
        }
        for (String sub : List.of(
                "ls",
                "get",
                "create",
                "rename",
                "rm",
                "clear",
                "files",
                "put",
                "get-file",
                "rm-file",
                "versions",
                "diff",
                "restore")) {
            CliRun help = cli("context", sub, "--help");
            assertThat(help.exit()).as(sub).isZero();
            assertThat(help.out())
                    .as(sub)
                    .contains("Usage: openagb context " + sub)
                    .contains("--json");
        }
        for (String sub : List.of("create", "ls", "info", "exec", "run-code", "sync", "status", "rm")) {
            CliRun help = cli("session", sub, "--help");
            assertThat(help.exit()).as(sub).isZero();
            assertThat(help.out()).as(sub).contains("Usage: openagb session " + sub);
        }
        assertThat(cli("session", "create", "--help").out())
                .contains("--context=NAME:PATH[:POLICY_FILE]")
                .contains("--label=KEY=VALUE")
                .contains("--idle-timeout=SECONDS");
    }

    @Test
    void completion_printsABashScriptCoveringTheSubcommands() {
        CliRun completion = cli("completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out())
                .contains("complete -F _complete_openagb")
                .contains("get-file")
                .contains("run-code");
    }

    @Test
    void versionArguments_thatCanNeverWork_exit2_namingTheValue() {
        CliRun retention = cli("gc", "--data-dir", home.resolve("d").toString(), "--keep-versions", "-1");
        CliRun restore = cli("context", "restore", "SdkCtx-x", "0");
        CliRun diff = cli("context", "diff", "SdkCtx-x", "1", "0");
        CliRun mount = cli("session", "create", "--context-version", "demo:latest:/home/p");

        assertThat(retention.exit()).isEqualTo(2);
        assertThat(retention.err()).contains("Cannot keep -1 versions", "--keep-versions");
        assertThat(restore.exit()).isEqualTo(2);
        assertThat(restore.err()).contains("version 0", "generations start at 1");
        assertThat(diff.exit()).isEqualTo(2);
        assertThat(diff.err()).contains("versions 1 and 0");
        assertThat(mount.exit()).isEqualTo(2);
        assertThat(mount.err()).contains("'demo:latest:/home/p'", "NAME:GEN:PATH");
        assertThat(cli("server", "--help").out()).contains("--keep-versions=K").contains("--keep-version-days=D");
    }

    @Test
    void usageErrors_exit2() {
        CliRun missing = cli("context", "rename", "id-only");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required parameter: 'NEW'");
        CliRun syncHalf = cli("session", "sync", "s-1", "--context", "c-1", "--endpoint", "http://127.0.0.1:1");
        assertThat(syncHalf.exit()).isEqualTo(2);
        assertThat(syncHalf.err()).contains("--context and --path go together");
        CliRun runCode = cli("session", "run-code", "s-1");
        assertThat(runCode.exit()).isEqualTo(2);
    }

    @Test
    void unreachableServer_isExit1NamingTheEndpoint() {
        CliRun run = cli("context", "ls", "--endpoint", "http://127.0.0.1:1");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("Cannot list contexts: ").contains("127.0.0.1:1");
    }

    @Test
    void exec_joinsSeveralArgumentsWithShellQuoting() {
        assertThat(SessionExec.shellLine(List.of("sh", "-c", "echo hi > /a b's.txt")))
                .isEqualTo("sh -c 'echo hi > /a b'\\''s.txt'");
        assertThat(SessionExec.shellLine(List.of("ls -la /tmp"))).isEqualTo("ls -la /tmp");
    }

    @Test
    void progressBar_rendersBytesRateAndEta() {
        String half = ProgressBar.render("put a.bin", 512 * 1024, 1024 * 1024, 1_000_000_000L);
        assertThat(half)
                .startsWith("put a.bin [")
                .contains(" 50% 512.0 KiB / 1.0 MiB")
                .contains("512.0 KiB/s")
                .endsWith("ETA 1s");
        assertThat(ProgressBar.render("get b", 3000, -1, 2_000_000_000L)).isEqualTo("get b 2.9 KiB  1.5 KiB/s");
        assertThat(ProgressBar.duration(125)).isEqualTo("2m05s");
        assertThat(ProgressBar.bytes(1023)).isEqualTo("1023 B");
    }
}
