package org.openagb.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The attacks of a hostile session, tried for real: working directories, kernel interfaces, the host's files and
 * processes, forbidden syscalls, setuid binaries and symlinks swapped under the server. Needs root (as CI runs), since
 * only then does each session get an unprivileged uid of its own.
 */
class SandboxEscapeTest extends SandboxExtensionSupport {
    private static final String CANARY =
            "openagb-canary-" + ProcessHandle.current().pid();
    private final List<Path> canaries = new ArrayList<>();

    @BeforeEach
    void requireRoot() {
        assertThat(System.getProperty("user.name"))
                .as("these tests need root (run them as root, as CI does): only then do sessions get their own uid")
                .isEqualTo("root");
    }

    @AfterEach
    void removeCanaries() throws IOException {
        for (Path canary : canaries) {
            Files.deleteIfExists(canary);
        }
    }

    private Path canary(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(CANARY);
        Files.writeString(file, "host secret");
        canaries.add(file);
        return file;
    }

    private static CommandResult run(Sandbox sandbox, String command, String cwd) {
        return sandbox.run(CommandRequest.of(command, Duration.ofSeconds(20)).withCwd(cwd));
    }

    // ---- working directory ----

    @Test
    void commandWithoutCwd_runsInSessionHome_notTheHosts() {
        Sandbox sandbox = start("esc-cwd");
        CommandResult result = run(sandbox, "pwd; touch " + CANARY + "-marker");
        assertThat(result.stdout()).isEqualTo("/home\n");
        assertThat(sandbox.files().sessionDir().resolve("home").resolve(CANARY + "-marker"))
                .exists();
        assertThat(Path.of("/home", CANARY + "-marker")).doesNotExist();
    }

    @Test
    void cwdTmp_writesTheSessionsTmp_notTheHosts() {
        Sandbox sandbox = start("esc-tmp");
        CommandResult result = run(sandbox, "touch " + CANARY + "-tmp && pwd", "/tmp");
        assertThat(result.stdout()).isEqualTo("/tmp\n");
        assertThat(Path.of("/tmp", CANARY + "-tmp")).doesNotExist();
        assertThat(sandbox.files().sessionDir().resolve("tmp").resolve(CANARY + "-tmp"))
                .exists();
    }

    @Test
    void cwdMadeInsideTheSession_withSpaces_isUsed() {
        Sandbox sandbox = start("esc-spaces");
        run(sandbox, "mkdir -p '/tmp/dir with spaces'");
        assertThat(run(sandbox, "pwd", "/tmp/dir with spaces").stdout()).isEqualTo("/tmp/dir with spaces\n");
    }

    @Test
    void missingCwd_isAnErrorNamingIt() {
        Sandbox sandbox = start("esc-nocwd");
        assertThatThrownBy(() -> run(sandbox, "true", "/home/does-not-exist"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("working directory '/home/does-not-exist'")
                .hasMessageContaining("No such file or directory");
    }

    @Test
    void climbingAboveRoot_staysInTheSandbox() {
        Sandbox sandbox = start("esc-climb");
        String inside = run(sandbox, "ls -a /").stdout();
        assertThat(run(sandbox, "cd ../../../../..; ls -a .", "/tmp").stdout()).isEqualTo(inside);
        assertThat(inside).doesNotContain("root").doesNotContain("srv").doesNotContain("work");
    }

    // ---- identity, capabilities, kernel interfaces ----

    @Test
    void sessionUid_isAnUnprivilegedHostUid_andRootOnlyInside() throws IOException {
        Sandbox sandbox = start("esc-uid");
        CommandResult result = run(sandbox, "id -u; cat /proc/self/uid_map; touch /home/mine");
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines.get(0)).isEqualTo("0");
        String[] map = lines.get(1).trim().split("\\s+");
        assertThat(map[0]).isEqualTo("0");
        // The nested namespace maps to its parent's 0, which is the session's host uid; read it from the host.
        int hostUid = (Integer) Files.getAttribute(
                sandbox.files().sessionDir().resolve("home/mine"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
        assertThat(hostUid).isGreaterThanOrEqualTo(1_000_000_000);
    }

    @Test
    void twoSessions_getDifferentHostUids() throws IOException {
        Sandbox a = start("esc-uid-a");
        Sandbox b = start("esc-uid-b");
        run(a, "touch /home/a");
        run(b, "touch /home/b");
        Object uidA = Files.getAttribute(a.files().sessionDir().resolve("home/a"), "unix:uid");
        Object uidB = Files.getAttribute(b.files().sessionDir().resolve("home/b"), "unix:uid");
        assertThat(uidA).isNotEqualTo(uidB);
    }

    @Test
    void processes_haveNoCapabilities_noNewPrivs_andSeccomp() {
        Sandbox sandbox = start("esc-caps");
        String status = run(
                        sandbox,
                        "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status")
                .stdout();
        assertThat(status)
                .contains("CapEff:\t0000000000000000")
                .contains("CapPrm:\t0000000000000000")
                .contains("CapBnd:\t0000000000000000")
                .contains("CapAmb:\t0000000000000000")
                .contains("NoNewPrivs:\t1")
                .contains("Seccomp:\t2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "kernel/core_pattern",
        "vm/drop_caches",
        "kernel/hostname",
        "vm/overcommit_memory",
        "kernel/panic",
    })
    void procSys_isReadOnly(String key) throws IOException {
        Sandbox sandbox = start("esc-sysctl");
        Path file = Path.of("/proc/sys", key);
        String before = Files.isReadable(file) ? Files.readString(file) : null;
        CommandResult result = run(sandbox, "echo 3 > /proc/sys/" + key);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).containsAnyOf("Permission denied", "Read-only file system");
        if (before != null) {
            assertThat(Files.readString(file)).isEqualTo(before);
        }
    }

    @Test
    void sysAndKernelDebugInterfaces_areAbsent() {
        Sandbox sandbox = start("esc-sys");
        assertThat(run(sandbox, "ls /sys 2>&1; ls /dev").stdout())
                .contains("No such file or directory")
                .doesNotContain("sda")
                .doesNotContain("vda")
                .doesNotContain("kmsg")
                .doesNotContain("mem\n");
    }

    // ---- the host's files and processes ----

    @Test
    void hostSecretsAndCanaries_areNeitherReadableNorNameable() throws IOException {
        List<Path> planted = List.of(
                canary(Path.of("/root")),
                canary(Path.of("/srv")),
                canary(Path.of("/home")),
                canary(Path.of("/tmp")),
                canary(Path.of("/var/tmp")),
                canary(Path.of("/opt")),
                canary(temp));
        Sandbox sandbox = start("esc-leak");
        for (Path file : planted) {
            CommandResult cat = run(sandbox, "cat " + file);
            assertThat(cat.stdout()).as(file.toString()).doesNotContain("host secret");
        }
        assertThat(run(sandbox, "cat /etc/shadow /etc/gshadow /etc/sudoers 2>&1")
                        .stdout())
                .doesNotContain("root:")
                .contains("No such file or directory");
        assertThat(run(sandbox, "cat /etc/passwd").stdout())
                .startsWith("root:x:0:0:root:/home:")
                .hasLineCount(2);
        assertThat(run(
                                sandbox,
                                "find / -xdev -name '" + CANARY + "*' 2>/dev/null; find /home /tmp /var/tmp -name '"
                                        + CANARY + "*'")
                        .stdout())
                .isEmpty();
        assertThat(run(sandbox, "ls -a /").stdout().lines().toList())
                .doesNotContain("root", "srv", "opt", "work", "boot", "mnt", "media", "run", "sys");
    }

    @Test
    void anotherSessionsFiles_areInvisible() {
        Sandbox a = start("esc-other-a");
        Sandbox b = start("esc-other-b");
        run(a, "echo secret > /home/" + CANARY + "-a");
        assertThat(run(b, "find / -name '" + CANARY + "*' 2>/dev/null").stdout())
                .isEmpty();
        assertThat(run(b, "cat /proc/*/root/home/" + CANARY + "-a 2>&1").stdout())
                .doesNotContain("secret");
    }

    @Test
    void hostProcesses_areInvisible() {
        Sandbox sandbox = start("esc-ps");
        String ps = run(sandbox, "ls /proc | grep -E '^[0-9]+$' | wc -l; cat /proc/1/cmdline | tr '\\0' ' '")
                .stdout();
        List<String> lines = ps.lines().toList();
        assertThat(Integer.parseInt(lines.get(0).trim())).isLessThan(10);
        assertThat(lines.get(1)).contains("bwrap");
        assertThat(run(sandbox, "ps -eo args").stdout()).doesNotContain("java").doesNotContain("surefire");
    }

    @Test
    void rootOfTheSandbox_isReadOnly_andSessionDirsAreNosuidNodev() {
        Sandbox sandbox = start("esc-ro");
        CommandResult touch = run(sandbox, "touch /newfile; mkdir /newdir");
        assertThat(touch.stderr()).contains("Read-only file system");
        String mounts = run(sandbox, "grep -E ' /(home|tmp|var/tmp) ' /proc/self/mounts")
                .stdout();
        assertThat(mounts.lines().toList())
                .hasSize(3)
                .allSatisfy(line -> assertThat(line).contains("nosuid").contains("nodev"));
    }

    @Test
    void setuidBinaryPlantedInTheSession_grantsNothingOnTheHost() throws IOException {
        Sandbox sandbox = start("esc-suid");
        CommandResult result = run(sandbox, "cp /bin/sh /tmp/sh && chmod 4755 /tmp/sh && /tmp/sh -c 'id -u'");
        assertThat(result.stdout()).isEqualTo("0\n"); // root of the session only
        Path planted = sandbox.files().sessionDir().resolve("tmp/sh");
        int owner = (Integer) Files.getAttribute(planted, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        assertThat(owner).as("owned by the session's unprivileged host uid").isGreaterThanOrEqualTo(1_000_000_000);
    }

    // ---- seccomp ----

    /** x86_64 numbers; each call must fail with the errno given. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "mount,165,'0,0,0,0,0',1",
        "umount2,166,'0,0',1",
        "pivot_root,155,'0,0',1",
        "unshare user,272,'0x10000000',1",
        "unshare mount,272,'0x00020000',1",
        "setns,308,'0,0',1",
        "keyctl,250,'0,0,0,0,0',1",
        "add_key,248,'0,0,0,0,0',1",
        "bpf,321,'0,0,0',1",
        "perf_event_open,298,'0,0,0,0,0',1",
        "userfaultfd,323,'0',1",
        "ptrace,101,'16,1,0,0',1",
        "kexec_load,246,'0,0,0,0',1",
        "init_module,175,'0,0,0',1",
        "finit_module,313,'0,0,0',1",
        "delete_module,176,'0,0',1",
        "open_by_handle_at,304,'0,0,0',1",
        "reboot,169,'0,0,0,0',1",
        "swapon,167,'0,0',1",
        "syslog,103,'3,0,0',1",
        "io_uring_setup,425,'1,0',1",
        "clone newuser,56,'0x10000000,0,0,0,0',1",
        "clone3,435,'0,0',38",
        "mknod fifo,133,'0,0x1000,0',1",
        "personality,135,'0x0040000',1",
        "chroot,161,'0',1",
        "process_vm_readv,310,'1,0,0,0,0,0',1",
        "mbind,237,'0,0,0,0,0,0',1",
        "fanotify_init,300,'0,0',1",
    })
    void forbiddenSyscall_isRefused(String name, int number, String args, int errno) throws IOException {
        assertThat(System.getProperty("os.arch"))
                .as("syscall numbers are x86_64 ones")
                .isEqualTo("amd64");
        Sandbox sandbox = start("esc-sys-" + number);
        String python = "import ctypes, os\n"
                + "libc = ctypes.CDLL(None, use_errno=True)\n"
                + "libc.syscall.restype = ctypes.c_long\n"
                + "path = ctypes.c_char_p(b'/tmp/x')\n"
                + "args = [" + args.replace("0,", "0,") + "]\n"
                + "if " + number + " == 133: args[0] = ctypes.cast(path, ctypes.c_void_p).value\n"
                + "r = libc.syscall(" + number + ", *[ctypes.c_long(a) for a in args])\n"
                + "print(r, ctypes.get_errno())\n";
        Path script = sandbox.files().hostPath("/tmp").resolve("probe.py");
        Files.writeString(script, python);
        CommandResult result = run(sandbox, "python3 /tmp/probe.py");
        assertThat(result.stdout()).as(result.stderr()).isEqualTo("-1 " + errno + "\n");
    }

    @Test
    void allowedSyscalls_stillWork() {
        Sandbox sandbox = start("esc-allowed");
        CommandResult result = run(
                sandbox,
                "python3 -c \"import os, threading, subprocess;"
                        + " t = threading.Thread(target=print, args=('thread',)); t.start(); t.join();"
                        + " print(subprocess.run(['echo', 'child'], capture_output=True, text=True).stdout.strip());"
                        + " os.mkfifo if False else None; os.mknod('/tmp/regular');"
                        + " print(os.path.exists('/tmp/regular'))\"");
        assertThat(result.stdout()).as(result.stderr()).isEqualTo("thread\nchild\nTrue\n");
    }

    // ---- symlinks swapped under the server ----

    @Test
    void serverIoOnSessionFiles_neverFollowsASymlink() throws IOException {
        Sandbox sandbox = start("esc-nosymfollow");
        run(sandbox, "ln -s / /home/rootlink && mkdir -p /home/real && echo ok > /home/real/f");
        Path home = sandbox.files().hostRoot("/home");
        assertThat(home.resolve("real/f")).hasContent("ok\n");
        assertThatThrownBy(() -> Files.readString(home.resolve("rootlink/etc/hostname")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("rootlink");
    }

    @Test
    void readFileTool_withADirectorySwappedForASymlinkInALoop_neverReturnsHostData() throws Exception {
        Path secretDir = Files.createDirectories(temp.resolve("host-secret"));
        Files.writeString(secretDir.resolve("secret"), "host secret");
        Sandbox sandbox = start("esc-swap");
        run(sandbox, "mkdir -p /home/d && echo session > /home/d/secret");
        // A loop in the session swaps /home/d between a directory and a symlink to the host directory's path.
        String swap = "mkdir -p /home/real && echo session > /home/real/secret; i=0; while [ $i -lt 20000 ]; do"
                + " ln -sfn " + secretDir + " /home/d.link && mv -T /home/d.link /home/d;"
                + " ln -sfn /home/real /home/d.dir; rm -f /home/d; cp -r /home/real /home/d 2>/dev/null;"
                + " i=$((i+1)); done";
        AtomicBoolean done = new AtomicBoolean();
        Thread attacker = new Thread(() -> {
            try {
                sandbox.run(CommandRequest.of(swap, Duration.ofSeconds(30)));
            } finally {
                done.set(true);
            }
        });
        attacker.start();
        Tools tools = new Tools();
        ObjectMapper json = new ObjectMapper();
        int calls = 0;
        try {
            while (!done.get() && calls < 400) {
                ToolResult result =
                        tools.call(sandbox, "read_file", json.writeValueAsString(Map.of("path", "/home/d/secret")));
                assertThat(result.text()).doesNotContain("host secret");
                ToolResult write = tools.call(
                        sandbox,
                        "write_file",
                        json.writeValueAsString(Map.of("path", "/home/d/written", "content", "x")));
                assertThat(write.text()).isNotNull();
                calls++;
            }
        } finally {
            attacker.interrupt();
            sandbox.close();
            attacker.join(10_000);
        }
        assertThat(calls).isGreaterThan(10);
        assertThat(secretDir.resolve("written")).doesNotExist();
        assertThat(secretDir.resolve("secret")).hasContent("host secret");
    }
}
