package org.openagb.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.sandbox.SandboxConfig;
import org.openagb.sandbox.SandboxSpec;
import org.openagb.sandbox.SessionFiles;
import org.openagb.sandbox.SessionLimits;

/** The pure parts of a sandbox's start: its bwrap command line, host names and limit messages. */
class BwrapCommandTest {
    @TempDir
    Path temp;

    private Path source;

    private List<String> arguments(SandboxConfig config) throws java.io.IOException {
        SandboxSpec spec = new SandboxSpec("Session_ABC", temp.resolve("s/fs"), temp);
        SessionFiles files = SessionFiles.create(spec.sessionDir(), config.writableRoots());
        source = temp.resolve("source");
        java.nio.file.Files.createDirectories(source.resolve(SessionEtc.DIRECTORY));
        java.nio.file.Files.writeString(
                source.resolve(SessionEtc.DIRECTORY).resolve("passwd"), "root:x:0:0::/:/bin/sh\n");
        return BwrapCommand.arguments(config, spec, files, source, Path.of("/"), SandboxHost.create());
    }

    @Test
    void embeddedImage_readOnlyTmpfsRoot_systemDirsOnly_everyNamespace_andTheHelperLast() throws Exception {
        List<String> args = arguments(SandboxConfig.defaults());
        String line = String.join(" ", args);
        assertThat(line)
                .contains("--unshare-all --unshare-user --uid 0 --gid 0 --disable-userns")
                .contains("--ro-bind /usr /usr")
                .contains("--bind " + source.resolve("home") + " /home")
                .contains("--bind " + source.resolve("var-tmp") + " /var/tmp")
                .contains("--ro-bind " + source.resolve(".etc/passwd") + " /etc/passwd")
                .contains("--remount-ro /")
                .doesNotContain("--ro-bind / /")
                .doesNotContain("--share-net")
                .endsWith("-- /.openagb/enter / --idle");
        assertThat(args.get(args.indexOf("--hostname") + 1)).isEqualTo("session-abc");
    }

    @Test
    void networkOnlyWhenTheLimitsAllowIt() throws Exception {
        assertThat(arguments(SandboxConfig.defaults()
                        .withLimits(SessionLimits.defaults().withNetwork(true))))
                .contains("--share-net");
    }

    @Test
    void hostname_isAValidLabelMadeFromTheSessionId() {
        assertThat(BwrapCommand.hostname("session-ABC_def")).isEqualTo("session-abc-def");
        assertThat(BwrapCommand.hostname("--x--")).isEqualTo("x");
        assertThat(BwrapCommand.hostname("a".repeat(80))).hasSize(63);
        assertThat(BwrapCommand.hostname("___")).isEqualTo("sandbox");
    }

    @Test
    void limitMessages_nameTheLimitAndWhatToRaise() {
        SessionLimits limits =
                SessionLimits.defaults().withMemoryBytes(64L << 20).withMaxProcesses(20);
        assertThat(LimitMessages.memory(limits))
                .isEqualTo(
                        "killed: the session's memory limit of 64 MiB was reached (raise SessionLimits.memoryBytes)");
        assertThat(LimitMessages.processes(limits)).contains("limit of 20").contains("SessionLimits.maxProcesses");
        assertThat(LimitMessages.diskQuotaExceeded("the session uses 2 MiB of its 1 MiB disk quota"))
                .startsWith("disk quota exceeded: the session uses 2 MiB of its 1 MiB disk quota;");
        assertThat(LimitMessages.looksOutOfMemory("Traceback…\nMemoryError\n")).isTrue();
        assertThat(LimitMessages.looksOutOfMemory("x".repeat(20_000) + "std::bad_alloc"))
                .isTrue();
        assertThat(LimitMessages.looksOutOfMemory("No such file")).isFalse();
    }
}
