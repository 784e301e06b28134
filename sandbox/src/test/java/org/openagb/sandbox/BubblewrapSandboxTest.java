package org.openagb.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BubblewrapSandboxTest extends SandboxExtensionSupport {

    @Test
    void run_echo_returnsOutputQuickly() {
        Sandbox sandbox = start("s-echo");
        run(sandbox, "true"); // warm up
        CommandResult result = run(sandbox, "echo hello");
        assertThat(result.stdout()).isEqualTo("hello\n");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.succeeded()).isTrue();
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void run_failingCommand_reportsExitCodeAndStderr() {
        Sandbox sandbox = start("s-exit");
        CommandResult result = run(sandbox, "echo out; echo err >&2; exit 3");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.succeeded()).isFalse();
    }

    @Test
    void run_withCwdAndEnv_appliesThemToThisCommandOnly() {
        Sandbox sandbox = start("s-cwd");
        CommandResult result = sandbox.run(CommandRequest.of("pwd; echo $GREETING", Duration.ofSeconds(5))
                .withCwd("/tmp")
                .withEnv(Map.of("GREETING", "hi there")));
        assertThat(result.stdout()).isEqualTo("/tmp\nhi there\n");
        assertThat(run(sandbox, "pwd; echo \"[$GREETING]\"").stdout()).isEqualTo("/home\n[]\n");
    }

    @Test
    void run_baseEnvironment_isCleanWithHomeInWritableRoot() {
        Sandbox sandbox = start("s-env");
        String env = run(sandbox, "env").stdout();
        assertThat(env).contains("HOME=/home", "LANG=C.UTF-8", "PATH=/usr/local/sbin:");
        assertThat(env).doesNotContain("JAVA_HOME", "MAVEN");
    }

    @Test
    void run_afterTimeout_killsProcessTreeAndReturns124WithPartialOutput() throws Exception {
        Sandbox sandbox = start("s-timeout");
        Path marker = sandbox.files().hostPath("/tmp/survived");
        long started = System.nanoTime();
        CommandResult result = sandbox.run(CommandRequest.of(
                "echo partial; (sleep 2; touch /tmp/survived) & sleep 30; echo never", Duration.ofMillis(500)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(124);
        assertThat(result.stdout()).isEqualTo("partial\n");
        assertThat(result.stderr()).endsWith("command timed out after 500 ms");
        String ps = run(sandbox, "ps -eo args").stdout();
        assertThat(ps).doesNotContain("sleep 30").doesNotContain("sleep 2");
        Thread.sleep(2500);
        assertThat(marker).doesNotExist();
    }

    @Test
    void run_backgroundNohup_returnsPromptlyAndKeepsRunning() {
        Sandbox sandbox = start("s-nohup");
        long started = System.nanoTime();
        CommandResult result = run(sandbox, "nohup sleep 30 > /dev/null 2>&1 &");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(result.exitCode()).isZero();
        assertThat(run(sandbox, "ps -eo args").stdout()).contains("sleep 30");
    }

    @Test
    void run_backgroundChildHoldingPipes_doesNotDelayAnswer() {
        Sandbox sandbox = start("s-pipes");
        long started = System.nanoTime();
        CommandResult result = run(sandbox, "echo before; sleep 30 &");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(result.stdout()).isEqualTo("before\n");
    }

    @Test
    void run_outputBeyondCap_isTruncatedAndMarked() {
        Sandbox sandbox = start("s-cap");
        CommandResult result =
                sandbox.run(CommandRequest.of("head -c 100000 /dev/zero | tr '\\0' a", Duration.ofSeconds(5))
                        .withOutputCap(1000));
        assertThat(result.stdoutTruncated()).isTrue();
        assertThat(result.stdout()).startsWith("a".repeat(1000) + "\n[stdout truncated after 1000 bytes]");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void run_largeWriteWithDd_completesWithinTenSeconds() {
        Sandbox sandbox = start("s-dd");
        CommandResult result = sandbox.run(CommandRequest.of(
                "dd if=/dev/zero of=/home/big bs=1M count=1024 && rm /home/big", Duration.ofSeconds(10)));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("1073741824 bytes");
    }

    @Test
    void run_multiByteOutput_isDecodedAsUtf8() {
        Sandbox sandbox = start("s-utf8");
        assertThat(run(sandbox, "printf 'h\\303\\251llo \\342\\202\\254'").stdout())
                .isEqualTo("héllo €");
    }

    @Test
    void run_hasNoCapabilities() {
        Sandbox sandbox = start("s-caps");
        assertThat(run(sandbox, "grep CapEff /proc/self/status").stdout()).contains("0000000000000000");
        assertThat(run(sandbox, "mount -t tmpfs none /mnt").exitCode()).isNotZero();
    }

    @Test
    void close_killsProcessesButKeepsFiles() {
        Sandbox sandbox = start("s-close");
        run(sandbox, "echo data > /home/kept.txt; nohup sleep 30 > /dev/null 2>&1 &");
        assertThat(sandbox.isAlive()).isTrue();
        sandbox.close();
        assertThat(sandbox.isAlive()).isFalse();
        sandbox.files().attachDisk(); // the session's own disk is mounted again for whoever needs its files
        assertThat(sandbox.files().hostPath("/home/kept.txt")).hasContent("data");
        assertThatThrownBy(() -> run(sandbox, "true"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("s-close")
                .hasMessageContaining("not running");
        sandbox.close(); // idempotent
        sandbox.files().deleteAll();
    }

    @Test
    void files_deleteAll_removesSessionDirectoryWithoutFollowingLinks() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("precious"), "x");
        Sandbox sandbox = start("s-delete");
        run(sandbox, "mkdir -p /home/a/b && echo 1 > /home/a/b/c");
        Files.createSymbolicLink(sandbox.files().hostPath("/home/link"), outside);
        sandbox.close();
        sandbox.files().deleteAll();
        assertThat(sandbox.files().sessionDir()).doesNotExist();
        assertThat(outside.resolve("precious")).exists();
    }

    @Test
    void start_fromShortLivedThread_sandboxOutlivesTheThread() throws Exception {
        AtomicReference<Sandbox> ref = new AtomicReference<>();
        Thread thread = new Thread(() -> ref.set(start("s-thread")));
        thread.start();
        thread.join();
        Thread.sleep(300);
        assertThat(ref.get().isAlive()).isTrue();
        assertThat(run(ref.get(), "echo alive").stdout()).isEqualTo("alive\n");
    }

    @Test
    void runtime_withMissingBwrap_failsSayingWhatToInstall() {
        assertThatThrownBy(() ->
                        new BubblewrapSandboxRuntime(SandboxConfig.defaults().withBwrap(Path.of("/nonexistent/bwrap"))))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("bubblewrap (bwrap) not found at /nonexistent/bwrap")
                .hasMessageContaining("apt-get install -y bubblewrap");
    }

    @Test
    void run_concurrentCommands_allSucceed() throws Exception {
        Sandbox sandbox = start("s-concurrent");
        var results = java.util.stream.IntStream.range(0, 8)
                .parallel()
                .mapToObj(i -> run(sandbox, "echo " + i).stdout())
                .toList();
        assertThat(results).hasSize(8).allMatch(s -> s.matches("\\d\n"));
    }
}
