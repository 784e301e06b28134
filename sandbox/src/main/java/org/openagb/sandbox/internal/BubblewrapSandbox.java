package org.openagb.sandbox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.openagb.sandbox.CodeRequest;
import org.openagb.sandbox.CodeResult;
import org.openagb.sandbox.CommandRequest;
import org.openagb.sandbox.CommandResult;
import org.openagb.sandbox.Sandbox;
import org.openagb.sandbox.SandboxConfig;
import org.openagb.sandbox.SandboxException;
import org.openagb.sandbox.SandboxSpec;
import org.openagb.sandbox.SessionFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session sandbox held by one long-lived {@code bwrap … sleep infinity} process; commands join its namespaces
 * with {@code nsenter} and drop every capability with {@code setpriv}.
 *
 * <p>{@link #start} must be called on a thread that outlives the sandbox: bwrap's {@code --die-with-parent} fires
 * when the <em>thread</em> that spawned it exits.
 */
public final class BubblewrapSandbox implements Sandbox {
    private static final Logger log = LoggerFactory.getLogger(BubblewrapSandbox.class);
    private static final long PIPE_GRACE_MILLIS = 100;
    private static final File DEV_NULL = new File("/dev/null");
    /** How long a kernel may take to start (IPython's import alone can take a second or more on a cold cache). */
    static final Duration KERNEL_START_TIMEOUT = Duration.ofSeconds(60);

    private final SandboxConfig config;
    private final String sessionId;
    private final SessionFiles files;
    private final Process bwrap;
    private final long initPid;
    private final boolean enterUserNamespace;
    private volatile boolean closed;
    private final Map<KernelLanguage, KernelSlot> kernels = new ConcurrentHashMap<>();

    /** The kernel of one language; its lock serialises the calls (and the start) of that kernel. */
    private static final class KernelSlot {
        final ReentrantLock lock = new ReentrantLock();
        volatile Kernel kernel;
    }

    private BubblewrapSandbox(
            SandboxConfig config,
            String sessionId,
            SessionFiles files,
            Process bwrap,
            long initPid,
            boolean enterUserNamespace) {
        this.config = config;
        this.sessionId = sessionId;
        this.files = files;
        this.bwrap = bwrap;
        this.initPid = initPid;
        this.enterUserNamespace = enterUserNamespace;
    }

    /** Starts the sandbox; blocks until its namespaces exist. */
    public static BubblewrapSandbox start(SandboxConfig config, SandboxSpec spec) {
        SessionFiles files = SessionFiles.create(spec.sessionDir(), config.writableRoots());
        files.createRoots();
        List<String> command = bwrapCommand(config, spec, files);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(DEV_NULL)
                    .redirectError(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (IOException e) {
            throw new SandboxException(
                    "Cannot start sandbox for session '" + spec.sessionId() + "': " + e.getMessage(), e);
        }
        OutputCapture errors =
                OutputCapture.start(process.getErrorStream(), 64 * 1024, "bwrap-stderr-" + spec.sessionId());
        CompletableFuture<JsonNode> info = new CompletableFuture<>();
        Thread reader = new Thread(() -> readInfo(process.getInputStream(), info), "bwrap-info-" + spec.sessionId());
        reader.setDaemon(true);
        reader.start();
        try {
            JsonNode node = info.get(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            long pid = node.path("child-pid").asLong(-1);
            if (pid <= 0) {
                throw new IOException("bwrap reported no child-pid: " + node);
            }
            awaitReady(pid, process, config.startTimeout());
            boolean userNs = !Objects.equals(
                    namespace(pid, "user"), namespace(ProcessHandle.current().pid(), "user"));
            log.debug(
                    "Started sandbox of session {} (bwrap pid {}, init pid {})", spec.sessionId(), process.pid(), pid);
            return new BubblewrapSandbox(config, spec.sessionId(), files, process, pid, userNs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new SandboxException("Cannot start sandbox for session '" + spec.sessionId() + "': interrupted", e);
        } catch (ExecutionException | TimeoutException | IOException e) {
            process.destroyForcibly();
            try {
                process.waitFor(2, TimeUnit.SECONDS);
                errors.awaitEof(500);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            String stderr = new String(errors.freeze().bytes(), StandardCharsets.UTF_8).strip();
            String reason = e instanceof TimeoutException
                    ? "bwrap did not report its namespaces within "
                            + config.startTimeout().toMillis() + " ms"
                    : "bwrap failed";
            throw new SandboxException(
                    "Cannot start sandbox for session '" + spec.sessionId() + "': " + reason
                            + (stderr.isEmpty() ? "" : ": " + stderr) + " (command: " + String.join(" ", command) + ")",
                    e);
        }
    }

    /**
     * bwrap reports the child pid right after clone, before the sandbox's mounts are set up; its init forks the
     * command ({@code sleep}) only when setup is complete, so the sandbox is ready once the init has a child.
     */
    private static void awaitReady(long initPid, Process bwrap, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<ProcessHandle> init = ProcessHandle.of(initPid);
        while (init.isPresent() && init.get().children().findAny().isEmpty()) {
            if (!bwrap.isAlive() || !init.get().isAlive()) {
                throw new IOException("bwrap exited while setting up the sandbox");
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the sandbox was not ready within " + timeout.toMillis() + " ms");
            }
            Thread.sleep(1);
        }
        if (init.isEmpty()) {
            throw new IOException("bwrap exited while setting up the sandbox");
        }
    }

    static List<String> bwrapCommand(SandboxConfig config, SandboxSpec spec, SessionFiles files) {
        List<String> cmd = new ArrayList<>();
        cmd.add(config.bwrap().toString());
        cmd.addAll(List.of("--ro-bind", "/", "/"));
        for (Path hidden : hiddenPaths(spec.hiddenDir(), config.writableRoots())) {
            cmd.addAll(List.of("--tmpfs", hidden.toString()));
        }
        cmd.addAll(List.of("--dev", "/dev", "--proc", "/proc"));
        for (String root : config.writableRoots()) {
            cmd.addAll(List.of("--bind", files.hostRoot(root).toString(), root));
        }
        cmd.addAll(List.of(
                "--unshare-all",
                "--hostname",
                hostname(spec.sessionId()),
                "--die-with-parent",
                "--new-session",
                "--info-fd",
                "1",
                "--",
                "sleep",
                "infinity"));
        return cmd;
    }

    /**
     * The host paths to cover with an empty tmpfs so the sandbox cannot see {@code hiddenDir}: the path as given and
     * its real path, unless it already lies under a writable root (which the sandbox sees replaced).
     */
    static List<Path> hiddenPaths(Path hiddenDir, List<String> writableRoots) {
        List<Path> out = new ArrayList<>();
        if (hiddenDir == null || !Files.isDirectory(hiddenDir)) {
            return out;
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(hiddenDir);
        try {
            candidates.add(hiddenDir.toRealPath());
        } catch (IOException e) {
            // Keep the given path only.
        }
        for (Path candidate : candidates) {
            if (candidate.getParent() == null) {
                throw new SandboxException("Cannot hide directory '" + hiddenDir
                        + "' from sessions: it is the root directory (put the data directory elsewhere)");
            }
            boolean underRoot = writableRoots.stream().anyMatch(r -> candidate.startsWith(Path.of(r)));
            if (!underRoot && !out.contains(candidate)) {
                out.add(candidate);
            }
        }
        return out;
    }

    static String hostname(String sessionId) {
        String name = sessionId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        name = name.replaceAll("^-+", "");
        if (name.length() > 63) {
            name = name.substring(0, 63);
        }
        name = name.replaceAll("-+$", "");
        return name.isEmpty() ? "sandbox" : name;
    }

    private static void readInfo(InputStream in, CompletableFuture<JsonNode> result) {
        try {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            int depth = 0;
            boolean started = false;
            int b;
            while ((b = in.read()) != -1) {
                json.write(b);
                if (b == '{') {
                    depth++;
                    started = true;
                } else if (b == '}') {
                    depth--;
                }
                if (started && depth == 0) {
                    result.complete(new ObjectMapper().readTree(json.toByteArray()));
                    break;
                }
                if (json.size() > 65536) {
                    throw new IOException("bwrap info is too large");
                }
            }
            if (!result.isDone()) {
                result.completeExceptionally(new IOException("bwrap exited before reporting its namespaces"));
            }
            // Keep draining: the sandbox's init inherits this pipe and must never block on it.
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            result.completeExceptionally(e);
        }
    }

    private static String namespace(long pid, String kind) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", kind))
                    .toString();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public SessionFiles files() {
        return files;
    }

    /** Host pid of the sandbox's pid 1. */
    public long initPid() {
        return initPid;
    }

    @Override
    public boolean isAlive() {
        if (closed || !bwrap.isAlive()) {
            return false;
        }
        // Guard against pid reuse: the init must still be bwrap's child.
        Optional<ProcessHandle> init = ProcessHandle.of(initPid);
        return init.isPresent()
                && init.get().isAlive()
                && init.get().parent().map(p -> p.pid() == bwrap.pid()).orElse(false);
    }

    @Override
    public CommandResult run(CommandRequest request) {
        if (!isAlive()) {
            throw new SandboxException("Cannot run a command in session '" + sessionId
                    + "': its sandbox is not running (create a new session)");
        }
        long started = System.nanoTime();
        String cwd = request.cwd() != null && request.cwd().startsWith("/") ? request.cwd() : config.defaultCwd();
        int cap = request.outputCapBytes() > 0 ? request.outputCapBytes() : config.outputCapBytes();
        ProcessBuilder builder = new ProcessBuilder(commandLine(cwd, request.command()))
                .redirectInput(DEV_NULL)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(config.baseEnv());
        builder.environment().putAll(request.env());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new SandboxException(
                    "Cannot run a command in session '" + sessionId + "': " + e.getMessage()
                            + " (is nsenter installed?)",
                    e);
        }
        OutputCapture out = OutputCapture.start(process.getInputStream(), cap, "sandbox-" + sessionId + "-stdout");
        OutputCapture err = OutputCapture.start(process.getErrorStream(), cap, "sandbox-" + sessionId + "-stderr");
        boolean timedOut = false;
        int exitCode;
        try {
            if (!process.waitFor(request.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                timedOut = true;
                ProcessTrees.kill(process.toHandle(), sessionLeader(process));
                process.waitFor(5, TimeUnit.SECONDS);
            }
            exitCode = process.isAlive() ? -1 : process.exitValue();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PIPE_GRACE_MILLIS);
            out.awaitEof(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            err.awaitEof(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            ProcessTrees.kill(process.toHandle(), sessionLeader(process));
            Thread.currentThread().interrupt();
            throw new SandboxException("Cannot finish command in session '" + sessionId + "': interrupted", e);
        }
        OutputCapture.Snapshot stdout = out.freeze();
        OutputCapture.Snapshot stderr = err.freeze();
        String stdoutText = withTruncationNote(stdout, cap, "stdout");
        String stderrText = withTruncationNote(stderr, cap, "stderr");
        if (timedOut) {
            exitCode = CommandResult.TIMEOUT_EXIT_CODE;
            String note = "command timed out after " + request.timeout().toMillis() + " ms";
            stderrText =
                    stderrText.isEmpty() || stderrText.endsWith("\n") ? stderrText + note : stderrText + "\n" + note;
        }
        return new CommandResult(
                stdoutText,
                stderrText,
                exitCode,
                timedOut,
                stdout.truncated(),
                stderr.truncated(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    @Override
    public CodeResult runCode(CodeRequest request) {
        requireRunning("run code");
        KernelLanguage language = KernelLanguage.of(request.language());
        KernelSlot slot = kernels.computeIfAbsent(language, l -> new KernelSlot());
        try {
            slot.lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("Cannot run code in session '" + sessionId + "': interrupted", e);
        }
        try {
            requireRunning("run code");
            Kernel kernel = slot.kernel;
            if (kernel == null || !kernel.isAlive()) {
                kernel = startKernel(language);
                slot.kernel = kernel;
                if (closed) {
                    kernel.kill();
                }
            }
            CodeResult result = kernel.execute(request.code(), request.timeout());
            requireRunning("finish running code");
            return result;
        } finally {
            slot.lock.unlock();
        }
    }

    private void requireRunning(String what) {
        if (!isAlive()) {
            throw new SandboxException("Cannot " + what + " in session '" + sessionId
                    + "': its sandbox is not running (create a new session)");
        }
    }

    private Kernel startKernel(KernelLanguage language) {
        List<String> candidates = config.runtimes().getOrDefault(language.id(), List.of());
        List<String> cmd = entry(config.defaultCwd());
        cmd.addAll(List.of("setsid", "/bin/sh", "-c", language.launcher(), "openagb-kernel"));
        cmd.addAll(candidates);
        ProcessBuilder builder = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(config.baseEnv());
        builder.environment().put("OPENAGB_OUTPUT_CAP", Integer.toString(config.outputCapBytes()));
        return Kernel.start(language, sessionId, candidates, builder, KERNEL_START_TIMEOUT);
    }

    /** The host-side processes of the running kernels (nsenter and its descendants), for tests and diagnostics. */
    public List<ProcessHandle> kernelProcesses() {
        List<ProcessHandle> out = new ArrayList<>();
        for (KernelSlot slot : kernels.values()) {
            Kernel kernel = slot.kernel;
            if (kernel != null) {
                out.addAll(kernel.processes());
            }
        }
        return out;
    }

    /** {@code nsenter … setpriv …}: the entry into the sandbox shared by commands and kernels. */
    private List<String> entry(String cwd) {
        List<String> cmd = new ArrayList<>();
        cmd.add(config.nsenter().toString());
        cmd.addAll(List.of("-t", Long.toString(initPid)));
        if (enterUserNamespace) {
            cmd.add("-U");
        }
        cmd.addAll(List.of("-m", "-p", "-i", "-u", "-n", "--root", "--wd=" + cwd, "--"));
        cmd.addAll(List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", "--"));
        return cmd;
    }

    private List<String> commandLine(String cwd, String command) {
        List<String> cmd = entry(cwd);
        cmd.addAll(List.of("setsid", "-w", "/bin/sh", "-c", command));
        return cmd;
    }

    /** The host pid of nsenter's child, which {@code setsid} made a session and process group leader. */
    private static long sessionLeader(Process nsenter) {
        return nsenter.toHandle().children().findFirst().map(ProcessHandle::pid).orElse(-1L);
    }

    private static String withTruncationNote(OutputCapture.Snapshot snapshot, int cap, String stream) {
        String text = Utf8.decodeTruncated(snapshot.bytes());
        if (!snapshot.truncated()) {
            return text;
        }
        return text + (text.endsWith("\n") ? "" : "\n") + "[" + stream + " truncated after " + cap + " bytes]\n";
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (KernelSlot slot : kernels.values()) {
            Kernel kernel = slot.kernel;
            if (kernel != null) {
                kernel.kill();
            }
        }
        // Killing the pid namespace's init kills every process in the sandbox.
        ProcessHandle.of(initPid)
                .filter(h -> h.parent().map(p -> p.pid() == bwrap.pid()).orElse(false))
                .ifPresent(ProcessHandle::destroyForcibly);
        bwrap.destroyForcibly();
        try {
            bwrap.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.debug("Closed sandbox of session {}", sessionId);
    }

    @Override
    public String toString() {
        return "BubblewrapSandbox[" + sessionId + ", init pid " + initPid + "]";
    }
}
