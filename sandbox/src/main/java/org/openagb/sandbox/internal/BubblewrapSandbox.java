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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.openagb.sandbox.CodeRequest;
import org.openagb.sandbox.CodeResult;
import org.openagb.sandbox.CodeStream;
import org.openagb.sandbox.CommandRequest;
import org.openagb.sandbox.CommandResult;
import org.openagb.sandbox.FileChanges;
import org.openagb.sandbox.PortConnection;
import org.openagb.sandbox.Sandbox;
import org.openagb.sandbox.SandboxConfig;
import org.openagb.sandbox.SandboxException;
import org.openagb.sandbox.SandboxSpec;
import org.openagb.sandbox.SessionFiles;
import org.openagb.sandbox.SessionLimits;
import org.openagb.sandbox.SessionMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session sandbox held by one long-lived {@code bwrap … openagb-enter / --idle} process; commands join its
 * namespaces with {@code nsenter} and start through the {@code openagb-enter} helper (working directory inside the
 * session, no capabilities, {@code no_new_privs}, seccomp; see docs/security.md).
 *
 * <p>Long because one sandbox's whole lifecycle lives here (the start handshake, commands, kernels, the hand-over of
 * a warm sandbox, close); the pure parts are apart: {@link BwrapCommand} and {@link RootView} (the command line),
 * {@link SessionEtc} (generated {@code /etc}), {@link LimitMessages} (what a limit hit says).
 *
 * <p>{@link #start} must be called on a thread that outlives the sandbox: bwrap's {@code --die-with-parent} fires
 * when the <em>thread</em> that spawned it exits.
 *
 * <p>Why it is this long: it is the one owner of a sandbox's lifecycle (start, the resident init, entering for
 * commands and kernels, limit notes, close) and each step needs the others' state; the pure parts already live in
 * BwrapCommand, RootView, SessionEtc, LimitMessages, MetricsReader and SandboxHost.
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
    private final SessionLimits limits;
    /** The session's cgroups, or {@code null} when neither controller is usable. */
    private final SessionCgroups cgroups;
    /** {@code prlimit}'s host path when memory is limited by address space, else {@code null}. */
    private final Path prlimit;

    private final DiskMeter disk;
    private final SandboxHost host;
    private final SandboxHost.Prepared prepared;
    private volatile boolean closed;
    private final MetricsReader metrics;
    private final FileChanges fileChanges = new FileChanges();
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
            boolean enterUserNamespace,
            SessionCgroups cgroups,
            DiskMeter disk,
            SandboxHost host,
            SandboxHost.Prepared prepared) {
        this.host = host;
        this.prepared = prepared;
        this.config = config;
        this.sessionId = sessionId;
        this.files = files;
        this.bwrap = bwrap;
        this.initPid = initPid;
        this.enterUserNamespace = enterUserNamespace;
        this.limits = config.limits();
        this.cgroups = cgroups;
        this.disk = disk;
        this.metrics = new MetricsReader(
                initPid, limits, cgroups, disk, files.sessionDir(), java.time.Clock.systemDefaultZone());
        boolean memoryByCgroup = cgroups != null && cgroups.memory() != null;
        this.prlimit = limits.memoryBytes() > 0 && !memoryByCgroup ? findPrlimit() : null;
    }

    /**
     * Starts the sandbox with limits probed now and no background disk measurement; blocks until its namespaces
     * exist.
     */
    public static BubblewrapSandbox start(SandboxConfig config, SandboxSpec spec) {
        return start(
                config, spec, SessionCgroups.probe(config.cgroupRoot(), config.limits()), null, SandboxHost.create());
    }

    /**
     * Starts the sandbox; blocks until its namespaces exist.
     *
     * @param probe the cgroup controllers to use for memory and process limits
     * @param background runs deferred disk measurements; {@code null} to measure only when asked
     */
    public static BubblewrapSandbox start(
            SandboxConfig config,
            SandboxSpec spec,
            SessionCgroups.Probe probe,
            ScheduledExecutorService background,
            SandboxHost host) {
        SessionFiles files = SessionFiles.create(spec.sessionDir(), config.writableRoots());
        host.attach(spec.sessionDir(), config.limits().diskBytes());
        files.createRoots();
        SessionEtc.write(spec, config);
        List<Path> roots = new ArrayList<>();
        List<Path> tmpRoots = new ArrayList<>();
        for (String root : config.writableRoots()) {
            roots.add(files.hostRoot(root));
            if (root.endsWith("/tmp") || root.equals("/tmp")) {
                tmpRoots.add(files.hostRoot(root));
            }
        }
        SandboxHost.Prepared prepared =
                host.prepare(spec.sessionId(), spec.sessionDir(), roots, tmpRoots, spec.imageRoot());
        for (Path root : roots) {
            files.adopt(root); // files kept from an earlier run of the session belong to its new uid
        }
        SessionCgroups cgroups;
        try {
            cgroups = SessionCgroups.create(probe, spec.sessionId(), config.limits());
        } catch (RuntimeException e) {
            host.release(prepared);
            throw e;
        }
        List<String> command = new ArrayList<>();
        if (cgroups != null) {
            command.addAll(cgroups.joinPrefix());
        }
        if (prepared.uid() >= 0) {
            command.addAll(List.of(
                    "setpriv",
                    "--reuid=" + prepared.uid(),
                    "--regid=" + prepared.uid(),
                    "--clear-groups",
                    "--inh-caps=-all",
                    "--"));
        }
        List<String> bwrap = BwrapCommand.arguments(config, spec, files, prepared.source(), prepared.imageView(), host);
        // The options go through stdin (--args 0), so that the sandbox's /proc/1/cmdline names no host path.
        int separator = bwrap.lastIndexOf("--");
        List<String> options = bwrap.subList(1, separator);
        command.addAll(List.of(bwrap.get(0), "--args", "0"));
        command.addAll(bwrap.subList(separator, bwrap.size()));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(ProcessBuilder.Redirect.PIPE)
                    .start();
            try (java.io.OutputStream args = process.getOutputStream()) {
                for (String arg : options) {
                    args.write(arg.getBytes(StandardCharsets.UTF_8));
                    args.write(0);
                }
            }
        } catch (IOException e) {
            if (cgroups != null) {
                cgroups.remove();
            }
            host.release(prepared);
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
            if (cgroups != null && cgroups.memory() != null) {
                // The sandbox's own processes are tiny; the OOM killer must pick a command instead.
                protectFromOomKiller(process.toHandle());
            }
            log.debug(
                    "Started sandbox of session {} (bwrap pid {}, init pid {}, {})",
                    spec.sessionId(),
                    process.pid(),
                    pid,
                    cgroups == null ? "no cgroups" : cgroups);
            DiskMeter disk = new DiskMeter(roots, config.limits().diskBytes(), background);
            return new BubblewrapSandbox(
                    config, spec.sessionId(), files, process, pid, userNs, cgroups, disk, host, prepared);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            if (cgroups != null) {
                cgroups.remove();
            }
            host.release(prepared);
            throw new SandboxException("Cannot start sandbox for session '" + spec.sessionId() + "': interrupted", e);
        } catch (ExecutionException | TimeoutException | IOException e) {
            process.destroyForcibly();
            try {
                process.waitFor(2, TimeUnit.SECONDS);
                errors.awaitEof(500);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            if (cgroups != null) {
                cgroups.remove();
            }
            host.release(prepared);
            String stderr = new String(errors.freeze().bytes(), StandardCharsets.UTF_8).strip();
            String reason = e instanceof TimeoutException
                    ? "bwrap did not report its namespaces within "
                            + config.startTimeout().toMillis() + " ms"
                    : "bwrap failed";
            throw new SandboxException(
                    "Cannot start sandbox for session '" + spec.sessionId() + "': " + reason
                            + (stderr.isEmpty() ? "" : ": " + stderr) + " (command: " + String.join(" ", command)
                            + " with options "
                            + String.join(" ", options) + ")",
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

    /** oom_score_adj -1000 for bwrap and the sandbox's init and {@code sleep}; best effort. */
    private static void protectFromOomKiller(ProcessHandle bwrap) {
        List<ProcessHandle> handles = new ArrayList<>();
        handles.add(bwrap);
        bwrap.descendants().forEach(handles::add);
        for (ProcessHandle handle : handles) {
            try {
                Files.writeString(Path.of("/proc", Long.toString(handle.pid()), "oom_score_adj"), "-1000");
            } catch (IOException | RuntimeException e) {
                log.debug("Cannot protect pid {} from the OOM killer: {}", handle.pid(), e.toString());
            }
        }
    }

    private static Path findPrlimit() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, "prlimit");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
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

    /**
     * This sandbox, started ahead of time, as session {@code sessionId}: its directory was renamed to
     * {@code sessionDir} (the mounts follow the rename); sets its host name and its generated {@code /etc} files.
     * The returned sandbox replaces this one, which must not be used or closed any more.
     */
    public BubblewrapSandbox renamed(String newSessionId, Path newSessionDir, ScheduledExecutorService background) {
        SessionFiles newFiles = SessionFiles.create(newSessionDir, config.writableRoots());
        SandboxHost.Prepared moved = new SandboxHost.Prepared(
                prepared.uid(),
                prepared.mountPoint(),
                prepared.fsDir() == null ? null : newSessionDir,
                prepared.fsDir() == null ? newSessionDir : prepared.source(),
                prepared.imageView(),
                prepared.imagePoint());
        List<Path> roots = new ArrayList<>();
        config.writableRoots().forEach(r -> roots.add(newFiles.hostRoot(r)));
        DiskMeter newDisk = new DiskMeter(roots, config.limits().diskBytes(), background);
        BubblewrapSandbox renamed = new BubblewrapSandbox(
                config, newSessionId, newFiles, bwrap, initPid, enterUserNamespace, cgroups, newDisk, host, moved);
        String name = BwrapCommand.hostname(newSessionId);
        try {
            SessionEtc.rename(newSessionDir, name);
            // sethostname in the sandbox's UTS namespace by the host's own hostname(1) (not the image's), as the
            // host's root: the namespace belongs to the sandbox's outer user namespace, not to the one commands enter.
            List<String> cmd = new ArrayList<>(List.of(config.nsenter().toString(), "-t", Long.toString(initPid)));
            cmd.addAll(List.of("-u", "--", "hostname", name));
            Process process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectInput(DEV_NULL)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("hostname failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new SandboxException(
                    "Cannot give sandbox " + sessionId + " to session '" + newSessionId + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException(
                    "Cannot give sandbox " + sessionId + " to session '" + newSessionId + "': interrupted", e);
        }
        return renamed;
    }

    /** Host pid of the sandbox's pid 1. */
    public long initPid() {
        return initPid;
    }

    @Override
    public PortConnection connect(int port) {
        if (closed) {
            throw new SandboxException("Session " + sessionId + " is closed");
        }
        if (port < 1 || port > 65535) {
            throw new SandboxException("Cannot connect to port " + port + ": a port is 1-65535");
        }
        List<String> cmd = entry("/", false, false);
        cmd.addAll(List.of("--connect", Integer.toString(port)));
        try {
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE);
            // The relay runs inside the session as its uid: it must carry none of the server's environment
            // (database password, S3 keys), which the session could read in /proc/<pid>/environ.
            builder.environment().clear();
            builder.environment().putAll(config.baseEnv());
            return new PortConnection(builder.start(), port);
        } catch (IOException e) {
            throw new SandboxException(
                    "Cannot connect to port " + port + " in session " + sessionId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public FileChanges fileChanges() {
        return fileChanges;
    }

    @Override
    public SessionMetrics metrics() {
        if (closed) {
            throw new SandboxException("Session " + sessionId + " is closed");
        }
        return metrics.read();
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
        boolean overQuota = disk.overQuota();
        SessionCgroups.Counters before = cgroups == null ? null : cgroups.counters();
        ProcessBuilder builder = new ProcessBuilder(commandLine(cwd, request.command(), overQuota))
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
        if (!timedOut && exitCode == BAD_CWD_EXIT) {
            String text = Utf8.decodeTruncated(stderr.bytes());
            if (text.startsWith(BAD_CWD_PREFIX)) {
                String reason = text.substring(text.lastIndexOf("': ") + 3).strip();
                throw new SandboxException("Cannot run the command in session '" + sessionId + "': working directory '"
                        + cwd + "' cannot be used: " + reason + " (give an existing directory of the session, e.g. "
                        + config.defaultCwd() + ", or omit cwd)");
            }
        }
        String stdoutText = withTruncationNote(stdout, cap, "stdout");
        String stderrText = withTruncationNote(stderr, cap, "stderr");
        if (timedOut) {
            stderrText = appendLine(
                    stderrText, "command timed out after " + request.timeout().toMillis() + " ms");
        }
        for (String note : limitNotes(before, exitCode, timedOut, stderrText, overQuota)) {
            stderrText = appendLine(stderrText, note);
        }
        if (timedOut) {
            exitCode = CommandResult.TIMEOUT_EXIT_CODE;
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

    private static String appendLine(String text, String line) {
        return text.isEmpty() || text.endsWith("\n") ? text + line : text + "\n" + line;
    }

    /** The lines that explain which session limit a command ran into, if any; measures disk usage again. */
    private List<String> limitNotes(
            SessionCgroups.Counters before, int exitCode, boolean timedOut, String stderr, boolean overQuotaBefore) {
        List<String> notes = new ArrayList<>();
        if (cgroups != null) {
            SessionCgroups.Counters after = cgroups.counters();
            boolean sigkill = exitCode == 128 + 9 || (exitCode == -1 && !timedOut);
            if (cgroups.memory() != null && after.oomKilledSince(before, sigkill)) {
                notes.add(memoryLimitMessage());
            }
            if (cgroups.pids() != null && after.forkRefusedSince(before)) {
                notes.add(processLimitMessage());
            }
        }
        if (prlimit != null && exitCode != 0 && LimitMessages.looksOutOfMemory(stderr)) {
            notes.add(LimitMessages.addressSpace(limits));
        }
        disk.measureAfterChange();
        if (disk.quotaBytes() > 0 && disk.overQuota()) {
            notes.add(LimitMessages.diskQuotaExceeded(disk.usageText()));
        } else if (overQuotaBefore) {
            notes.add(LimitMessages.RAN_OVER_QUOTA);
        }
        return notes;
    }

    private String memoryLimitMessage() {
        return LimitMessages.memory(limits);
    }

    private String processLimitMessage() {
        return LimitMessages.processes(limits);
    }

    /**
     * Refuses a file write when the session is over its disk quota, or would be after {@code bytes} more.
     *
     * @throws SandboxException {@code Cannot <verb> '<path>': the session uses X of its Y disk quota (…)}
     */
    @Override
    public void requireDiskSpace(String verb, String path, long bytes) {
        if (disk.wouldExceed(bytes)) {
            boolean already = disk.overQuota();
            throw new SandboxException("Cannot " + verb + " '" + path + "': " + disk.usageText()
                    + (already ? "" : " and this would add " + SessionLimits.format(bytes))
                    + " (delete files or raise SessionLimits.diskBytes)");
        }
    }

    @Override
    public void filesChanged() {
        disk.measureAfterChange();
    }

    /** Bytes in the session's writable directories, as last measured (measures if never measured). */
    public long diskUsageBytes() {
        return disk.usedBytes();
    }

    /** Measures disk usage if the last measurement is older than {@code maxAgeNanos} (background refresh). */
    public void refreshDiskUsage(long maxAgeNanos) {
        if (!closed) {
            disk.refreshIfOlderThan(maxAgeNanos);
        }
    }

    /** The session's cgroups, or {@code null} if memory and processes are not limited by cgroup. */
    public SessionCgroups cgroups() {
        return cgroups;
    }

    @Override
    public CodeResult runCode(CodeRequest request) {
        return runCell(request, null);
    }

    @Override
    public CodeResult runCode(CodeRequest request, CodeStream stream) {
        return runCell(request, Objects.requireNonNull(stream, "stream"));
    }

    private CodeResult runCell(CodeRequest request, CodeStream stream) {
        requireRunning("run code");
        KernelLanguage language = KernelLanguage.of(request.language());
        KernelSlot slot = kernels.computeIfAbsent(language, l -> new KernelSlot());
        if (!lock(slot, stream)) {
            return new CodeResult(
                    List.of(),
                    List.of(),
                    List.of(),
                    "CancelledError: the run was cancelled before it started (it was waiting for the session's "
                            + language.displayName() + " kernel, busy with another call)",
                    0,
                    0);
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
            SessionCgroups.Counters before = cgroups == null ? null : cgroups.counters();
            CodeResult result = kernel.execute(request.code(), request.timeout(), stream);
            requireRunning("finish running code");
            return withLimitNotes(result, before, stream);
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * Takes the kernel's lock; while {@code stream} (when not {@code null}) is cancelled first, gives up and answers
     * false.
     */
    private boolean lock(KernelSlot slot, CodeStream stream) {
        try {
            if (stream == null) {
                slot.lock.lockInterruptibly();
                return true;
            }
            while (!slot.lock.tryLock(50, TimeUnit.MILLISECONDS)) {
                if (stream.cancelled()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("Cannot run code in session '" + sessionId + "': interrupted", e);
        }
    }

    /** {@code result}, saying so (to {@code stream} too) when the memory or process limit was hit while it ran. */
    private CodeResult withLimitNotes(CodeResult result, SessionCgroups.Counters before, CodeStream stream) {
        disk.measureAfterChange();
        if (cgroups == null) {
            return result;
        }
        SessionCgroups.Counters after = cgroups.counters();
        boolean died = result.executionError().startsWith("KernelDied");
        List<String> stderr = new ArrayList<>(result.stderr());
        String error = result.executionError();
        if (cgroups.memory() != null && after.oomKilledSince(before, died)) {
            if (died) {
                error = error.replaceFirst(
                        "^KernelDied: ",
                        "KernelDied: " + memoryLimitMessage().replace("killed: ", "killed because ") + "; ");
            } else {
                stderr.add(memoryLimitMessage() + " (a process started by the code was killed)\n");
            }
        }
        if (cgroups.pids() != null && after.forkRefusedSince(before)) {
            stderr.add(processLimitMessage() + "\n");
        }
        if (error.equals(result.executionError())
                && stderr.size() == result.stderr().size()) {
            return result;
        }
        if (stream != null) {
            stderr.subList(result.stderr().size(), stderr.size()).forEach(stream::stderr);
        }
        return new CodeResult(
                result.results(),
                result.stdout(),
                stderr,
                error,
                result.executionCount(),
                result.executionTimeSeconds());
    }

    private void requireRunning(String what) {
        if (!isAlive()) {
            throw new SandboxException("Cannot " + what + " in session '" + sessionId
                    + "': its sandbox is not running (create a new session)");
        }
    }

    private Kernel startKernel(KernelLanguage language) {
        List<String> candidates = config.runtimes().getOrDefault(language.id(), List.of());
        List<String> cmd = entry(config.defaultCwd(), false, true);
        cmd.addAll(List.of("/bin/sh", "-c", language.launcher(), "openagb-kernel"));
        cmd.addAll(candidates);
        ProcessBuilder builder = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(config.baseEnv());
        builder.environment().put("OPENAGB_OUTPUT_CAP", Integer.toString(config.outputCapBytes()));
        if (language == KernelLanguage.JAVA) {
            builder.environment().put("OPENAGB_JAVA_HEAP", javaHeapMegabytes(limits.memoryBytes()) + "m");
        }
        return Kernel.start(language, sessionId, candidates, builder, KERNEL_START_TIMEOUT);
    }

    /**
     * The Java kernel's maximum heap: a quarter of the session's memory, between 64 MiB and 1 GiB (512 MiB without
     * a limit), leaving room for the JVM's other reservations under {@code prlimit --as} and for the session's other
     * processes.
     */
    static long javaHeapMegabytes(long memoryBytes) {
        if (memoryBytes <= 0) {
            return 512;
        }
        return Math.max(64, Math.min(1024, (memoryBytes >> 20) / 4));
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

    /**
     * {@code [sh -c <join cgroups>] [prlimit …] nsenter … setpriv …}: the entry into the sandbox shared by commands
     * and kernels; {@code noFileGrowth} adds a file size limit of 0 (the session is over its disk quota).
     */
    private List<String> entry(String cwd, boolean noFileGrowth, boolean leader) {
        List<String> cmd = new ArrayList<>();
        if (cgroups != null) {
            cmd.addAll(cgroups.joinPrefix());
        }
        List<String> rlimits = new ArrayList<>();
        if (prlimit != null) {
            rlimits.add("--as=" + limits.memoryBytes());
        }
        if (noFileGrowth) {
            rlimits.add("--fsize=0");
        }
        Path prlimitPath = prlimit != null ? prlimit : findPrlimit();
        if (!rlimits.isEmpty() && prlimitPath != null) {
            cmd.add(prlimitPath.toString());
            cmd.addAll(rlimits);
            cmd.add("--");
        }
        if (host.privileged()) {
            // The server's supplementary groups (root's) must not follow into the session: inside its user
            // namespace setgroups is denied, so they are dropped here.
            cmd.addAll(List.of("setpriv", "--clear-groups", "--"));
        }
        cmd.add(config.nsenter().toString());
        cmd.addAll(List.of("-t", Long.toString(initPid)));
        if (enterUserNamespace) {
            cmd.add("-U");
        }
        // --wd without a value starts in the sandbox init's working directory (its /, see BwrapCommand), never a host
        // directory (--wd=<dir> would open <dir> on the host); the helper then changes to cwd inside the session's
        // root and mount namespace.
        cmd.addAll(List.of("-m", "-p", "-i", "-u", "-n", "--root", "--wd", "--"));
        cmd.add(SandboxHost.HELPER_IN_SANDBOX);
        if (leader) {
            cmd.add("-s");
        }
        cmd.add(cwd);
        return cmd;
    }

    private List<String> commandLine(String cwd, String command, boolean noFileGrowth) {
        List<String> cmd = entry(cwd, noFileGrowth, true);
        cmd.addAll(List.of("/bin/sh", "-c", command));
        return cmd;
    }

    /** The helper's exit code and message when the working directory cannot be used. */
    static final int BAD_CWD_EXIT = 126;

    static final String BAD_CWD_PREFIX = "openagb-enter: cannot use working directory '";

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
        if (cgroups != null) {
            cgroups.remove(); // kills what is left in the session's groups, then removes them
        }
        host.release(prepared);
        log.debug("Closed sandbox of session {}", sessionId);
    }

    @Override
    public String toString() {
        return "BubblewrapSandbox[" + sessionId + ", init pid " + initPid + "]";
    }
}
