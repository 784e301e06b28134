package org.openagb.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SandboxIsolationTest extends SandboxExtensionSupport {

    @Test
    void aSessionsProcesses_startWithEverySignalAtItsDefault_whateverTheServerIgnoresOrBlocks() {
        // A server started in the background ignores SIGINT (and SIGHUP under nohup); exec keeps both dispositions
        // and masks, and a Java kernel cannot then install its interrupt handler. The entry helper resets them.
        Sandbox sandbox = start("iso-signals");
        CommandResult result = run(sandbox, "grep -E '^Sig(Blk|Ign):' /proc/self/status");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        long blocked = Long.parseUnsignedLong(
                result.stdout()
                        .lines()
                        .filter(l -> l.startsWith("SigBlk"))
                        .findFirst()
                        .orElseThrow()
                        .split("\\s+")[1],
                16);
        long ignored = Long.parseUnsignedLong(
                result.stdout()
                        .lines()
                        .filter(l -> l.startsWith("SigIgn"))
                        .findFirst()
                        .orElseThrow()
                        .split("\\s+")[1],
                16);
        assertThat(blocked).as("blocked signals").isZero();
        assertThat(ignored & 0x3)
                .as("SIGHUP and SIGINT ignored (bits 0 and 1 of %x)", ignored)
                .isZero();
    }

    @Test
    void writeUnderHome_landsInSessionDirectoryOnly() {
        Sandbox sandbox = start("iso-home");
        CommandResult result = run(sandbox, "mkdir -p /home/project && echo mine > /home/project/x");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(sandbox.files().sessionDir().resolve("home/project/x")).hasContent("mine");
        assertThat(Path.of("/home/project/x")).doesNotExist();
    }

    @Test
    void twoSandboxes_doNotSeeEachOthersFilesOrProcesses() {
        Sandbox a = start("iso-a");
        Sandbox b = start("iso-b");
        run(a, "echo a > /tmp/a-only; nohup sleep 31 > /dev/null 2>&1 &");
        assertThat(run(b, "ls /tmp").stdout()).doesNotContain("a-only");
        assertThat(run(b, "cat /tmp/a-only").exitCode()).isNotZero();
        assertThat(run(b, "ps -eo args").stdout()).doesNotContain("sleep 31");
        assertThat(run(a, "ps -eo args").stdout()).contains("sleep 31");
        assertThat(run(b, "hostname").stdout()).isEqualTo("iso-b\n");
    }

    @Test
    void rootFilesystem_isReadOnly() {
        Sandbox sandbox = start("iso-ro");
        CommandResult result = run(sandbox, "touch /usr/x");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("Read-only file system");
        assertThat(Path.of("/usr/x")).doesNotExist();
    }

    @Test
    void dataDirectory_isHiddenFromSessions() throws Exception {
        Path dataDir = Files.createDirectories(Path.of(
                "/var/lib/openagb-sandbox-test-" + ProcessHandle.current().pid()));
        try {
            Files.writeString(dataDir.resolve("metadata.db"), "secret");
            Sandbox sandbox =
                    RUNTIME.start(new SandboxSpec("iso-hidden", dataDir.resolve("sessions/iso-hidden"), dataDir));
            try {
                CommandResult ls = run(sandbox, "ls -A " + dataDir);
                assertThat(ls.stdout()).isEmpty();
                assertThat(run(sandbox, "cat " + dataDir + "/metadata.db").exitCode())
                        .isNotZero();
                run(sandbox, "echo own > /home/own");
                assertThat(dataDir.resolve("sessions/iso-hidden/home/own")).hasContent("own");
            } finally {
                sandbox.close();
            }
        } finally {
            SessionFiles.create(dataDir, java.util.List.of("/x")).deleteAll();
        }
    }

    @Test
    void dataDirectoryUnderTemp_isInvisibleBecauseTmpIsReplaced() throws Exception {
        Files.writeString(temp.resolve("metadata.db"), "secret");
        Sandbox sandbox = start("iso-tmp", temp);
        assertThat(run(sandbox, "cat " + temp.resolve("metadata.db")).exitCode())
                .isNotZero();
    }

    @Test
    void network_isLoopbackOnly() {
        Sandbox sandbox = start("iso-net");
        String links = run(sandbox, "cat /proc/net/dev").stdout();
        assertThat(links).contains("lo:");
        assertThat(links.lines().filter(l -> l.contains(":")).count()).isEqualTo(1);
    }
}
