package org.openagb.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openagb.sandbox.internal.BubblewrapSandbox;
import org.openagb.sandbox.internal.SessionCgroups;

/** Per-session resource limits against real sandboxes, cgroups and prlimit on this machine. */
class SessionLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1024 * 1024;
    private static final SessionLimits SMALL = SessionLimits.defaults()
            .withMemoryBytes(64 * MIB)
            .withMaxProcesses(20)
            .withDiskBytes(MIB);
    private static final BubblewrapSandboxRuntime LIMITED =
            new BubblewrapSandboxRuntime(SandboxConfig.defaults().withLimits(SMALL));
    private static final BubblewrapSandboxRuntime NETWORKED = new BubblewrapSandboxRuntime(
            SandboxConfig.defaults().withLimits(SessionLimits.defaults().withNetwork(true)));

    private static final BubblewrapSandboxRuntime SLOW_CPU = new BubblewrapSandboxRuntime(
            SandboxConfig.defaults().withLimits(SessionLimits.defaults().withCpuMillis(200)));

    @TempDir
    Path temp;

    @Test
    void cpuLimit_capsTheCpuTimeABusyLoopGets() {
        Sandbox limited = start(SLOW_CPU, "cpu-limited");
        Sandbox free = start(LIMITED, "cpu-free");
        String script = "printf 'import time\nt = time.time()\nwhile time.time() - t < 1.5: pass\n"
                + "print(round(time.process_time(), 2))\n' > /tmp/busy.py && python3 /tmp/busy.py";
        double limitedCpu = Double.parseDouble(run(limited, script).stdout().strip());
        double freeCpu = Double.parseDouble(run(free, script).stdout().strip());
        // 0.2 CPU for 1.5 s is 0.3 s of CPU time; unlimited, the loop gets most of the 1.5 s.
        assertThat(limitedCpu).isLessThan(0.6);
        assertThat(freeCpu).isGreaterThan(1.0);
    }

    private final List<Sandbox> started = new ArrayList<>();
    private final Tools tools = new Tools();

    private Sandbox start(BubblewrapSandboxRuntime runtime, String sessionId) {
        Sandbox sandbox =
                runtime.start(SandboxSpec.of(sessionId, temp.resolve("sessions").resolve(sessionId)));
        started.add(sandbox);
        return sandbox;
    }

    private static CommandResult run(Sandbox sandbox, String command) {
        return sandbox.run(CommandRequest.of(command, Duration.ofSeconds(30)));
    }

    private ToolResult call(Sandbox sandbox, String tool, Object... keyValues) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            args.put((String) keyValues[i], keyValues[i + 1]);
        }
        try {
            return tools.call(sandbox, tool, JSON.writeValueAsString(args));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void closeSandboxes() {
        started.forEach(Sandbox::close);
        started.forEach(s -> s.files().deleteAll());
    }

    @Test
    void defaults_are2GiBMemory256Processes10GiBDiskAndNoNetwork() {
        SessionLimits limits = SandboxConfig.defaults().limits();
        assertThat(limits.memoryBytes()).isEqualTo(2L << 30);
        assertThat(limits.maxProcesses()).isEqualTo(256);
        assertThat(limits.diskBytes()).isEqualTo(10L << 30);
        assertThat(limits.network()).isFalse();
        assertThat(SessionLimits.format(2L << 30)).isEqualTo("2 GiB");
        assertThat(SessionLimits.format(1536 * MIB)).isEqualTo("1.5 GiB");
    }

    @Test
    void thisMachine_limitsMemoryAndProcessesWithCgroups() {
        assertThat(LIMITED.cgroups().memory())
                .as("cgroup v1 memory controller writable under /sys/fs/cgroup/memory")
                .isTrue();
        assertThat(LIMITED.cgroups().pids()).isTrue();
    }

    @Test
    void commandAllocatingBeyondMemoryLimit_isKilledWithClearMessage_andSandboxKeepsWorking() {
        Sandbox sandbox = start(LIMITED, "lim-mem");
        CommandResult result = run(sandbox, "head -c 300M /dev/zero | tail");
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(137);
        assertThat(result.stderr())
                .contains("killed: the session's memory limit of 64 MiB was reached (raise SessionLimits.memoryBytes)");
        CommandResult after = run(sandbox, "echo still here");
        assertThat(after.stdout()).isEqualTo("still here\n");
        assertThat(after.stderr()).isEmpty();
        assertThat(sandbox.isAlive()).isTrue();
    }

    @Test
    void kernelKilledByMemoryLimit_reportsKernelDiedBecauseOfTheLimit() throws Exception {
        BubblewrapSandboxRuntime runtime = new BubblewrapSandboxRuntime(
                SandboxConfig.defaults().withLimits(SessionLimits.defaults().withMemoryBytes(256 * MIB)));
        Sandbox sandbox = start(runtime, "lim-kernel");
        ToolResult result = call(sandbox, "run_code", "code", "b = bytearray(1024 * 1024 * 1024)");
        assertThat(result.isError()).as(result.text()).isFalse();
        String error = JSON.readTree(result.text()).path("executionError").asText();
        assertThat(error)
                .startsWith("KernelDied: ")
                .contains("the session's memory limit of 256 MiB was reached (raise SessionLimits.memoryBytes)");
        ToolResult again = call(sandbox, "run_code", "code", "print(6 * 7)");
        assertThat(JSON.readTree(again.text()).path("stdout").toString()).contains("42");
    }

    @Test
    void forkingBeyondProcessLimit_failsWithClearMessage_andDoesNotAffectAnotherSandbox() {
        Sandbox greedy = start(LIMITED, "lim-pids-a");
        Sandbox other = start(LIMITED, "lim-pids-b");
        CommandResult result = run(greedy, "for i in $(seq 1 100); do sleep 3 & done");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr())
                .contains(
                        "fork failed: the session's process limit of 20 was reached (raise SessionLimits.maxProcesses)");

        CommandResult fine = run(other, "for i in $(seq 1 10); do sleep 0.2 & done; wait; echo done");
        assertThat(fine.stdout()).isEqualTo("done\n");
        assertThat(fine.stderr()).isEmpty();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(run(greedy, "echo recovered").stdout()).isEqualTo("recovered\n"));
    }

    @Test
    void sandboxAndCommands_runInTheSessionsCgroups_whichAreRemovedOnClose() throws Exception {
        BubblewrapSandbox sandbox = (BubblewrapSandbox) start(LIMITED, "lim-cg");
        SessionCgroups cgroups = sandbox.cgroups();
        assertThat(cgroups).isNotNull();
        Path memory = cgroups.memory();
        Path pids = cgroups.pids();
        assertThat(Files.readString(memory.resolve("memory.limit_in_bytes")).trim())
                .isEqualTo(Long.toString(64 * MIB));
        assertThat(Files.readString(pids.resolve("pids.max")).trim()).isEqualTo("20");
        assertThat(Files.readString(memory.resolve("cgroup.procs"))).contains(Long.toString(sandbox.initPid()));

        String ownCgroups = run(sandbox, "cat /proc/self/cgroup").stdout();
        assertThat(ownCgroups).contains("memory:").contains("/openagb/lim-cg\n");

        sandbox.close();
        assertThat(memory).doesNotExist();
        assertThat(pids).doesNotExist();
    }

    @Test
    void diskQuota_isHard_commandsAndTheServersOwnWritesStopAtIt_andDeletingFreesTheSpace() throws Exception {
        assertThat(System.getProperty("user.name"))
                .as("a hard disk quota (a filesystem per session) needs root: run the tests as root, as CI does")
                .isEqualTo("root");
        Sandbox sandbox = start(LIMITED, "lim-disk");
        CommandResult big = run(sandbox, "head -c 2M /dev/zero > /home/big");
        assertThat(big.exitCode()).isNotZero();
        assertThat(big.stderr()).contains("No space left on device");
        Path bigFile = sandbox.files().hostPath("/home/big");
        assertThat(Files.size(bigFile)).isLessThanOrEqualTo(MIB);

        // What the server writes into the session (downloads, archive extraction) cannot pass it either.
        Path serverWrite = sandbox.files().hostPath("/tmp").resolve("from-server");
        assertThatThrownBy(() -> Files.write(serverWrite, new byte[(int) (2 * MIB)]))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("No space left on device");

        assertThat(run(sandbox, "rm -f /home/big /tmp/from-server").exitCode()).isZero();
        ToolResult allowed = call(sandbox, "write_file", "path", "/home/note.txt", "content", "hello");
        assertThat(allowed.isError()).as(allowed.text()).isFalse();
        assertThat(sandbox.files().hostPath("/home/note.txt")).hasContent("hello");
        assertThat(run(sandbox, "head -c 512K /dev/zero > /home/half && echo ok")
                        .stdout())
                .isEqualTo("ok\n");
    }

    @Test
    void diskQuota_isPerSession_oneFullDiskLeavesAnotherSessionItsSpace() {
        Sandbox full = start(LIMITED, "lim-disk-full");
        Sandbox other = start(LIMITED, "lim-disk-other");
        run(full, "head -c 2M /dev/zero > /home/big");
        assertThat(run(other, "head -c 512K /dev/zero > /home/half && echo ok").stdout())
                .isEqualTo("ok\n");
    }

    @Test
    void writeFile_thatWouldExceedTheQuota_isRefused() {
        Sandbox sandbox = start(LIMITED, "lim-disk-write");
        ToolResult refused = call(sandbox, "write_file", "path", "/tmp/x", "content", "x".repeat((int) (2 * MIB)));
        assertThat(refused.isError()).isTrue();
        assertThat(refused.text())
                .isEqualTo("Cannot write '/tmp/x': the session uses 0 bytes of its 1 MiB disk quota and this would"
                        + " add 2 MiB (delete files or raise SessionLimits.diskBytes)");
    }

    @Test
    void network_isOffByDefault_hostLoopbackServerIsUnreachable() throws Exception {
        try (HostServer server = new HostServer()) {
            Sandbox sandbox = start(LIMITED, "lim-net-off");
            String links = run(sandbox, "cat /proc/net/dev").stdout();
            assertThat(links.lines().filter(l -> l.contains(":")).toList())
                    .singleElement()
                    .asString()
                    .contains("lo:");
            CommandResult connect = run(sandbox, server.connectCommand());
            assertThat(connect.exitCode()).isNotZero();
            assertThat(connect.stdout()).doesNotContain("hello from host");
            assertThat(server.accepted.get()).isZero();
        }
    }

    @Test
    void network_whenAllowed_reachesHostServerOnLoopback() throws Exception {
        try (HostServer server = new HostServer()) {
            Sandbox sandbox = start(NETWORKED, "lim-net-on");
            CommandResult connect = run(sandbox, server.connectCommand());
            assertThat(connect.exitCode()).as(connect.stderr()).isZero();
            assertThat(connect.stdout()).isEqualTo("hello from host\n");
            String links = run(sandbox, "cat /proc/net/dev").stdout();
            assertThat(links.lines().filter(l -> l.contains(":")).count()).isGreaterThan(1);
        }
    }

    @Test
    void withoutWritableCgroups_memoryFallsBackToPrlimit() throws Exception {
        Path noCgroups = Files.createDirectories(temp.resolve("no-cgroups"));
        BubblewrapSandboxRuntime runtime = new BubblewrapSandboxRuntime(SandboxConfig.defaults()
                .withLimits(SessionLimits.defaults().withMemoryBytes(64 * MIB))
                .withCgroupRoot(noCgroups));
        assertThat(runtime.cgroups().memory()).isFalse();
        assertThat(runtime.cgroups().pids()).isFalse();
        assertThat(runtime.cgroups().describe(runtime.config().limits()))
                .contains("prlimit")
                .contains("processes NOT limited");
        BubblewrapSandbox sandbox = (BubblewrapSandbox) start(runtime, "lim-prlimit");
        assertThat(sandbox.cgroups()).isNull();

        assertThat(run(sandbox, "grep 'Max address space' /proc/self/limits").stdout())
                .contains(Long.toString(64 * MIB));
        CommandResult result = run(sandbox, "python3 -c 'b = bytearray(200 * 1024 * 1024)'");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr())
                .contains("MemoryError")
                .contains("the session's memory limit of 64 MiB of address space per process was reached");
        assertThat(run(sandbox, "echo ok").stdout()).isEqualTo("ok\n");
    }

    /** A TCP server on the host's 127.0.0.1 that greets each client. */
    private static final class HostServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger accepted = new AtomicInteger();

        HostServer() throws Exception {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread thread = new Thread(this::serve, "host-server");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    accepted.incrementAndGet();
                    PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8);
                    out.println("hello from host");
                    new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                } catch (Exception e) {
                    // Closed.
                }
            }
        }

        String connectCommand() {
            return "python3 -c 'import socket; s = socket.create_connection((\"127.0.0.1\", " + socket.getLocalPort()
                    + "), timeout=3); print(s.makefile().readline(), end=\"\")'";
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
